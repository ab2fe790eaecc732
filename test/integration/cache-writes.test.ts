import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cacheRuntime } from "../../src/cache/runtime";
import { chatBody, completion, contentOf, json, observedKv, serveChat, status, uniq } from "./cache-fixtures";
import { withEnv } from "./governance-helpers";
import { useFakeUpstreams } from "./harness";

useFakeUpstreams();

// withEnv waits for every waitUntil: the stats flush must not wait out its window.
const saved = { ...cacheRuntime };
beforeAll(() => Object.assign(cacheRuntime, { statsFlushMs: 0 }));
afterAll(() => Object.assign(cacheRuntime, saved));

function call(kv: KVNamespace, ns: string, body: unknown, refresh = false): Promise<Response> {
  const config = { provider: "openai", api_key: "sk-writes", cache: { mode: "simple", max_age: 600 } };
  const headers: Record<string, string> = {
    "x-portkey-config": JSON.stringify(config),
    "x-portkey-cache-namespace": ns,
  };
  if (refresh) headers["x-portkey-cache-force-refresh"] = "true";
  return withEnv({ CACHE: kv }, { headers, body });
}

describe("writes to one cache key", () => {
  it("concurrent identical misses in one isolate store their answer once (KV takes one write per key per second)", async () => {
    const ns = uniq("ns");
    const served = serveChat(() => json(completion("the same answer")));
    const { kv, calls } = observedKv();
    const body = chatBody("Asked three times at once");
    const responses = await Promise.all([0, 1, 2].map(() => call(kv, ns, body)));
    expect(responses.map(status)).toEqual(["MISS", "MISS", "MISS"]);
    expect(served.calls).toBe(3);
    expect(calls.puts.filter((key) => key.startsWith(`rc1:${ns}:`))).toHaveLength(1);
    expect(status(await call(kv, ns, body))).toBe("HIT");
  });

  it("a refresh right after a store still replaces the entry, one write after the other", async () => {
    const ns = uniq("ns");
    serveChat((n) => json(completion(`version ${n}`)));
    const { kv, calls } = observedKv();
    const body = chatBody("Refreshed at once");
    expect(status(await call(kv, ns, body))).toBe("MISS");
    expect(status(await call(kv, ns, body, true))).toBe("REFRESH");
    const puts = calls.puts.filter((key) => key.startsWith(`rc1:${ns}:`));
    expect(puts).toHaveLength(2);
    expect(new Set(puts).size).toBe(1);
    const hit = await call(kv, ns, body);
    expect(status(hit)).toBe("HIT");
    expect(await contentOf(hit)).toBe("version 1");
  });
});
