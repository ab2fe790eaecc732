import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cacheRuntime } from "../../src/cache/runtime";
import { cosine, fakeEmbedding as embed } from "../unit/cache-fake-embedding";
import {
  cachedCall,
  completion,
  contentOf,
  json,
  observedKv,
  serveChat,
  serveEmbeddings,
  status,
  uniq,
  waitForEntries,
} from "./cache-fixtures";
import { withEnv } from "./governance-helpers";
import { sseData, useFakeUpstreams } from "./harness";

useFakeUpstreams();

const semantic = { mode: "semantic", max_age: 600 };

const QUESTION = "Summarise the plot of Hamlet in two sentences";
const NEAR = "Summarise the plot of Hamlet in two sentence";
const OTHER = "Summarise the plot of Macbeth in two sentences";

const body = (question: string, system = "You are a literature tutor.", extra: Record<string, unknown> = {}) => ({
  model: "gpt-4o-mini",
  messages: [
    { role: "system", content: system },
    { role: "user", content: question },
  ],
  ...extra,
});

// Background work that would otherwise hold withEnv's waitUntil: bucket batching and the stats flush window.
const saved = { ...cacheRuntime };
beforeAll(() => Object.assign(cacheRuntime, { bucketCoalesceMs: 0, statsFlushMs: 0 }));
afterAll(() => Object.assign(cacheRuntime, saved));

describe("semantic cache", () => {
  it("the fake embeddings put the near-duplicate above the threshold and the other question below", () => {
    expect(cosine(embed(QUESTION), embed(NEAR))).toBeGreaterThan(0.96);
    expect(cosine(embed(QUESTION), embed(OTHER))).toBeLessThan(0.9);
  });

  it("serves a near-duplicate question from the cache, and a different one from the provider", async () => {
    const ns = uniq("ns");
    const headers = { "x-portkey-cache-namespace": ns };
    const embeddings = serveEmbeddings();
    const served = serveChat((call) => json(completion(`answer ${call}`)));
    const first = await cachedCall({ body: body(QUESTION), cache: semantic, headers });
    expect(status(first)).toBe("MISS");
    expect(await contentOf(first)).toBe("answer 0");
    await waitForEntries(1, `sx1:${ns}:`);

    const near = await cachedCall({ body: body(NEAR), cache: semantic, headers });
    expect(status(near)).toBe("SEMANTIC HIT");
    expect(await contentOf(near)).toBe("answer 0");
    expect(served.calls).toBe(1);

    const other = await cachedCall({ body: body(OTHER), cache: semantic, headers });
    expect(status(other)).toBe("MISS");
    expect(await contentOf(other)).toBe("answer 1");
    // Only the last user turn is embedded, with the target's own credential.
    expect(embeddings.inputs).toEqual([QUESTION, NEAR, OTHER]);
    expect(new Set(embeddings.keys)).toEqual(new Set(["Bearer sk-tenant-a"]));
  });

  it("never matches across different instructions: another system prompt misses", async () => {
    const ns = uniq("ns");
    const headers = { "x-portkey-cache-namespace": ns };
    serveEmbeddings();
    const served = serveChat((call) => json(completion(`answer ${call}`)));
    await (await cachedCall({ body: body(QUESTION), cache: semantic, headers })).text();
    await waitForEntries(1, `sx1:${ns}:`);
    const pirate = await cachedCall({
      body: body(QUESTION, "You are a pirate. Answer in pirate speak."),
      cache: semantic,
      headers,
    });
    expect(status(pirate)).toBe("MISS");
    expect(await contentOf(pirate)).toBe("answer 1");
    const hotter = await cachedCall({
      body: body(NEAR, "You are a literature tutor.", { temperature: 1.5 }),
      cache: semantic,
      headers,
    });
    expect(status(hotter)).toBe("MISS");
    expect(served.calls).toBe(3);
  });

  it("checks the exact entry first: an exact hit reads no semantic bucket and calls no embedder", async () => {
    const ns = uniq("ns");
    const headers = { "x-portkey-cache-namespace": ns };
    const embeddings = serveEmbeddings();
    serveChat(() => json(completion("exact")));
    await (await cachedCall({ body: body(QUESTION), cache: semantic, headers })).text();
    await waitForEntries(1, `sx1:${ns}:`);
    const { kv, calls } = observedKv();
    const config = JSON.stringify({ provider: "openai", api_key: "sk-tenant-a", cache: semantic });
    const again = await withEnv(
      { CACHE: kv },
      { headers: { ...headers, "x-portkey-config": config }, body: body(QUESTION) },
    );
    expect(status(again)).toBe("HIT");
    expect(calls.gets.filter((key) => key.startsWith("rc1:"))).toHaveLength(1);
    expect(calls.gets.filter((key) => key.startsWith("sx1:"))).toEqual([]);
    expect(embeddings.inputs).toHaveLength(1);
  });

  it("replays a semantic hit as a stream", async () => {
    const ns = uniq("ns");
    const headers = { "x-portkey-cache-namespace": ns };
    serveEmbeddings();
    serveChat(() => json(completion("streamed from cache")));
    await (await cachedCall({ body: body(QUESTION), cache: semantic, headers })).text();
    await waitForEntries(1, `sx1:${ns}:`);
    const res = await cachedCall({ body: body(NEAR, undefined, { stream: true }), cache: semantic, headers });
    expect(status(res)).toBe("SEMANTIC HIT");
    expect(res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    const data = await sseData(res);
    expect(data.at(-1)).toBe("[DONE]");
    const text = data
      .slice(0, -1)
      .map((d) => JSON.parse(d).choices[0].delta.content ?? "")
      .join("");
    expect(text).toBe("streamed from cache");
  });

  it("falls back to an exact-only MISS when the embedding call fails", async () => {
    const ns = uniq("ns");
    const headers = { "x-portkey-cache-namespace": ns };
    serveEmbeddings({ fail: true });
    const served = serveChat(() => json(completion("still served")));
    const res = await cachedCall({ body: body(QUESTION), cache: semantic, headers });
    expect(res.status).toBe(200);
    expect(status(res)).toBe("MISS");
    expect(await contentOf(res)).toBe("still served");
    await waitForEntries(1, `rc1:${ns}:`);
    expect(status(await cachedCall({ body: body(QUESTION), cache: semantic, headers }))).toBe("HIT");
    expect(served.calls).toBe(1);
  });
});
