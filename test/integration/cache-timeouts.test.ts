import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cacheRuntime } from "../../src/cache/runtime";
import {
  chatBody,
  completion,
  contentOf,
  json,
  keysWith,
  observedKv,
  serveChat,
  serveEmbeddings,
  status,
  uniq,
  waitForEntries,
} from "./cache-fixtures";
import { withEnv } from "./governance-helpers";
import { useFakeUpstreams } from "./harness";

useFakeUpstreams();

// A short read timeout keeps the test quick; the stats flush and bucket batching must not hold withEnv's waitUntil.
const saved = { ...cacheRuntime };
beforeAll(() => Object.assign(cacheRuntime, { readTimeoutMs: 20, statsFlushMs: 0, bucketCoalesceMs: 0 }));
afterAll(() => Object.assign(cacheRuntime, saved));

type CacheEnv = Partial<Env> & { SEMANTIC_CACHE_EMBEDDING_TIMEOUT_MS?: string };

function call(ns: string, body: unknown, mode: "simple" | "semantic", overrides: CacheEnv = {}): Promise<Response> {
  const config = { provider: "openai", api_key: "sk-timeouts", cache: { mode, max_age: 600 } };
  return withEnv(overrides, {
    headers: { "x-portkey-config": JSON.stringify(config), "x-portkey-cache-namespace": ns },
    body,
  });
}

describe("cache lookups are bounded in time", () => {
  it("a KV read slower than the read timeout is a MISS: the provider answers and the request succeeds", async () => {
    const ns = uniq("ns");
    const served = serveChat((n) => json(completion(`answer ${n}`)));
    const body = chatBody("Is KV slow today?");
    expect(status(await call(ns, body, "simple"))).toBe("MISS");
    await waitForEntries(1, `rc1:${ns}:`);
    expect(status(await call(ns, body, "simple"))).toBe("HIT");

    const { kv, calls } = observedKv((key) => key.startsWith(`rc1:${ns}:`));
    const slow = await call(ns, body, "simple", { CACHE: kv });
    expect(slow.status).toBe(200);
    expect(status(slow)).toBe("MISS");
    expect(await contentOf(slow)).toBe("answer 1");
    expect(calls.gets.filter((key) => key.startsWith(`rc1:${ns}:`))).toHaveLength(1);
    expect(served.calls).toBe(2);
  });

  it("a semantic bucket slower than the read timeout is no match", async () => {
    const ns = uniq("ns");
    serveEmbeddings();
    const served = serveChat((n) => json(completion(`answer ${n}`)));
    await (await call(ns, chatBody("Summarise the plot of Hamlet in two sentences"), "semantic")).text();
    await waitForEntries(1, `sx1:${ns}:`);
    const near = chatBody("Summarise the plot of Hamlet in two sentence");
    expect(status(await call(ns, near, "semantic"))).toBe("SEMANTIC HIT"); // with a healthy KV (a hit stores nothing)
    // Only the lookup's read of the bucket hangs; the background add that follows the MISS reads it normally.
    let bucketReads = 0;
    const { kv } = observedKv((key) => key.startsWith(`sx1:${ns}:`) && bucketReads++ === 0);
    const slow = await call(ns, near, "semantic", { CACHE: kv });
    expect(status(slow)).toBe("MISS");
    expect(await contentOf(slow)).toBe("answer 1");
    expect(served.calls).toBe(2);
  });

  it("an embedding slower than SEMANTIC_CACHE_EMBEDDING_TIMEOUT_MS is a plain MISS, stored for exact matches only", async () => {
    const ns = uniq("ns");
    const embeddings = serveEmbeddings({ hang: true });
    const served = serveChat(() => json(completion("served while the embedder hangs")));
    const res = await call(ns, chatBody("An embedder that never answers"), "semantic", {
      SEMANTIC_CACHE_EMBEDDING_TIMEOUT_MS: "30",
    });
    expect(res.status).toBe(200);
    expect(status(res)).toBe("MISS");
    expect(await contentOf(res)).toBe("served while the embedder hangs");
    expect(embeddings.inputs).toEqual(["An embedder that never answers"]);
    expect(served.calls).toBe(1);
    await waitForEntries(1, `rc1:${ns}:`);
    expect(await keysWith(`sx1:${ns}:`)).toEqual([]);
  });
});
