import { env } from "cloudflare:workers";
import { http, HttpResponse } from "msw";
import { afterEach, describe, expect, it, vi } from "vitest";
import { sha256Hex } from "../../src/cache/canonical";
import { cacheRuntime } from "../../src/cache/runtime";
import {
  cachedCall,
  chatBody,
  completion,
  EMBEDDINGS_URL,
  json,
  keysWith,
  serveChat,
  status,
  uniq,
  waitForEntries,
} from "./cache-fixtures";
import { gateway, upstream, useFakeUpstreams } from "./harness";

useFakeUpstreams();

const realNow = cacheRuntime.now;
afterEach(() => {
  cacheRuntime.now = realNow;
});

describe("simple cache", () => {
  it("misses, stores after the response, then hits without calling the provider", async () => {
    const ns = uniq("ns");
    const served = serveChat(() => json(completion("Paris.")));
    const headers = { "x-portkey-cache-namespace": ns };
    const first = await cachedCall({ body: chatBody("Capital of France?"), headers });
    expect(status(first)).toBe("MISS");
    expect(await first.json()).toEqual(completion("Paris."));
    await waitForEntries(1, `rc1:${ns}:`);

    // Same request, keys in another order: same entry.
    const reordered = { messages: chatBody("Capital of France?").messages, model: "gpt-4o-mini" };
    const second = await cachedCall({ body: reordered, headers });
    expect(status(second)).toBe("HIT");
    expect(second.headers.get("x-portkey-provider")).toBe("openai");
    expect(await second.json()).toEqual(completion("Paris."));
    expect(served.calls).toBe(1);
  });

  it("says DISABLED without a cache config, and neither reads nor writes", async () => {
    const served = serveChat(() => json(completion("uncached")));
    const body = chatBody(uniq("q"));
    const before = (await keysWith("rc1:")).length;
    for (let i = 0; i < 2; i++) {
      const res = await cachedCall({ body, cache: null });
      expect(status(res)).toBe("DISABLED");
      await res.text();
    }
    expect(served.calls).toBe(2);
    expect((await keysWith("rc1:")).length).toBe(before);
  });

  it("sends the status on plain x-portkey-provider requests and on errors too", async () => {
    serveChat(() => json({ error: { message: "bad", type: "invalid_request_error", param: null, code: null } }, 400));
    const res = await gateway({
      headers: { "x-portkey-provider": "openai", authorization: "Bearer sk-x" },
      body: chatBody("x"),
    });
    expect(res.status).toBe(400);
    expect(status(res)).toBe("DISABLED");
    const cached = await cachedCall({ body: chatBody(uniq("q")) });
    expect(cached.status).toBe(400);
    expect(status(cached)).toBe("MISS");
  });

  it("ignores stream flags and delivery-only fields but not parameters that change the answer", async () => {
    const ns = uniq("ns");
    const headers = { "x-portkey-cache-namespace": ns };
    const served = serveChat((call) => json(completion(`answer ${call}`)));
    await (await cachedCall({ body: chatBody("q", { temperature: 0 }), headers })).text();
    await waitForEntries(1, `rc1:${ns}:`);
    const same = await cachedCall({ body: chatBody("q", { temperature: 0, user: "someone", stream: false }), headers });
    expect(status(same)).toBe("HIT");
    const other = await cachedCall({ body: chatBody("q", { temperature: 1 }), headers });
    expect(status(other)).toBe("MISS");
    expect(((await other.json()) as { choices: { message: { content: string } }[] }).choices[0]?.message.content).toBe(
      "answer 1",
    );
    expect(served.calls).toBe(2);
  });

  it("force-refresh skips the read, calls the provider and replaces the entry", async () => {
    const ns = uniq("ns");
    const headers = { "x-portkey-cache-namespace": ns };
    const served = serveChat((call) => json(completion(`version ${call}`)));
    const body = chatBody("What time is it?");
    await (await cachedCall({ body, headers })).text();
    const [key] = await waitForEntries(1, `rc1:${ns}:`);
    const refresh = await cachedCall({ body, headers: { ...headers, "x-portkey-cache-force-refresh": "true" } });
    expect(status(refresh)).toBe("REFRESH");
    expect(
      ((await refresh.json()) as { choices: { message: { content: string } }[] }).choices[0]?.message.content,
    ).toBe("version 1");
    await waitForContent(key ?? "", "version 1");
    const hit = await cachedCall({ body, headers });
    expect(status(hit)).toBe("HIT");
    expect(((await hit.json()) as { choices: { message: { content: string } }[] }).choices[0]?.message.content).toBe(
      "version 1",
    );
    expect(served.calls).toBe(2);
  });

  it("keeps namespaces apart", async () => {
    const [a, b] = [uniq("ns"), uniq("ns")];
    const served = serveChat(() => json(completion("shared question")));
    const body = chatBody("Same words");
    await (await cachedCall({ body, headers: { "x-portkey-cache-namespace": a } })).text();
    await waitForEntries(1, `rc1:${a}:`);
    expect(status(await cachedCall({ body, headers: { "x-portkey-cache-namespace": b } }))).toBe("MISS");
    expect(status(await cachedCall({ body, headers: { "x-portkey-cache-namespace": a } }))).toBe("HIT");
    expect(served.calls).toBe(2);
  });

  it("keeps tenants apart: another provider key never reads this one's entry", async () => {
    const ns = uniq("ns");
    const headers = { "x-portkey-cache-namespace": ns };
    const served = serveChat((call) => json(completion(`for caller ${call}`)));
    const body = chatBody("Tenant secret question");
    await (await cachedCall({ body, headers, apiKey: "sk-tenant-a" })).text();
    await waitForEntries(1, `rc1:${ns}:`);
    const other = await cachedCall({ body, headers, apiKey: "sk-tenant-b" });
    expect(status(other)).toBe("MISS");
    expect(((await other.json()) as { choices: { message: { content: string } }[] }).choices[0]?.message.content).toBe(
      "for caller 1",
    );
    const keys = await waitForEntries(2, `rc1:${ns}:`);
    // Same namespace, model and request hash; different scope segment, and no credential in the key.
    expect(new Set(keys.map((key) => key.split(":")[3])).size).toBe(2);
    expect(keys.join()).not.toContain("sk-tenant");
    // Nor the SHA-256 anyone holding the key could compute: passthrough scopes are HMACs under a server secret.
    for (const credential of ["sk-tenant-a", "sk-tenant-b"]) {
      expect(keys.join()).not.toContain((await sha256Hex(`scope:credential:openai:${credential}`)).slice(0, 32));
    }
    expect(served.calls).toBe(2);
  });

  it("never stores an error, and the next request goes to the provider again", async () => {
    const ns = uniq("ns");
    const headers = { "x-portkey-cache-namespace": ns };
    const served = serveChat((call) =>
      call === 0
        ? HttpResponse.json(
            { error: { message: "slow down", type: "rate_limit_error", param: null, code: null } },
            { status: 429 },
          )
        : json(completion("recovered")),
    );
    const body = chatBody("Will this be cached?");
    const failed = await cachedCall({ body, headers });
    expect(failed.status).toBe(429);
    expect(status(failed)).toBe("MISS");
    const ok = await cachedCall({ body, headers });
    expect(ok.status).toBe(200);
    expect(status(ok)).toBe("MISS");
    expect(served.calls).toBe(2);
  });

  it("does not store a 200 that is not an answer", async () => {
    const ns = uniq("ns");
    const headers = { "x-portkey-cache-namespace": ns };
    serveChat(() => json(completion("empty", { choices: [] })));
    await (await cachedCall({ body: chatBody("Empty?"), headers })).text();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await keysWith(`rc1:${ns}:`)).toEqual([]);
  });

  it("expires an entry after max_age, even below KV's 60 s minimum TTL", async () => {
    const ns = uniq("ns");
    const headers = { "x-portkey-cache-namespace": ns };
    const served = serveChat(() => json(completion("short-lived")));
    const body = chatBody("Fleeting?");
    const start = Date.now();
    cacheRuntime.now = () => start;
    await (await cachedCall({ body, headers, cache: { mode: "simple", max_age: 5 } })).text();
    await waitForEntries(1, `rc1:${ns}:`);
    cacheRuntime.now = () => start + 4_000;
    expect(status(await cachedCall({ body, headers, cache: { mode: "simple", max_age: 5 } }))).toBe("HIT");
    cacheRuntime.now = () => start + 5_001;
    expect(status(await cachedCall({ body, headers, cache: { mode: "simple", max_age: 5 } }))).toBe("MISS");
    expect(served.calls).toBe(2);
  });

  it("honours the reader's own max_age for older entries", async () => {
    const ns = uniq("ns");
    const headers = { "x-portkey-cache-namespace": ns };
    serveChat(() => json(completion("aged")));
    const body = chatBody("How old?");
    const start = Date.now();
    cacheRuntime.now = () => start;
    await (await cachedCall({ body, headers, cache: { mode: "simple", max_age: 3600 } })).text();
    await waitForEntries(1, `rc1:${ns}:`);
    cacheRuntime.now = () => start + 120_000;
    expect(status(await cachedCall({ body, headers, cache: { mode: "simple", max_age: 3600 } }))).toBe("HIT");
    expect(status(await cachedCall({ body, headers, cache: { mode: "simple", max_age: 60 } }))).toBe("MISS");
  });

  it("caches embeddings too", async () => {
    const ns = uniq("ns");
    let calls = 0;
    upstream.use(
      http.post(EMBEDDINGS_URL, () => {
        calls += 1;
        return json({
          object: "list",
          data: [{ object: "embedding", index: 0, embedding: [0.5, -0.25] }],
          model: "text-embedding-3-small",
          usage: { prompt_tokens: 2, total_tokens: 2 },
        });
      }),
    );
    const config = JSON.stringify({ provider: "openai", api_key: "sk-emb", cache: { mode: "semantic", max_age: 600 } });
    const call = () =>
      gateway({
        path: "/v1/embeddings",
        headers: { "x-portkey-config": config, "x-portkey-cache-namespace": ns },
        body: { model: "text-embedding-3-small", input: "hello" },
      });
    const first = await call();
    expect(status(first)).toBe("MISS");
    const body: unknown = await first.json();
    await waitForEntries(1, `rc1:${ns}:`);
    const second = await call();
    expect(status(second)).toBe("HIT");
    expect(await second.json()).toEqual(body);
    expect(calls).toBe(1);
  });

  it("refuses a namespace that is too long", async () => {
    const res = await cachedCall({ body: chatBody("q"), headers: { "x-portkey-cache-namespace": "n".repeat(65) } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { param: string } }).error.param).toBe("x-portkey-cache-namespace");
  });
});

async function waitForContent(key: string, content: string): Promise<void> {
  await vi.waitFor(async () => expect(await env.CACHE.get(key)).toContain(content), { timeout: 5_000, interval: 20 });
}
