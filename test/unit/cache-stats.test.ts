import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cacheRuntime } from "../../src/cache/runtime";
import { recordCacheEvent } from "../../src/cache/stats";

/** A hand-written KV binding (the network edge) whose writes answer as the test decides, recording each one. */
function fakeKv(answer: (call: number) => Promise<void>) {
  const puts: { key: string; metadata: unknown }[] = [];
  const kv: Pick<KVNamespace, "put"> = {
    put(key, _value, options) {
      puts.push({ key, metadata: options?.metadata });
      return answer(puts.length - 1);
    },
  };
  return { kv, puts };
}

const saved = { ...cacheRuntime };
let clock = Date.parse("2026-03-01T12:00:00Z");
const background: Promise<unknown>[] = [];
const waitUntil = (promise: Promise<unknown>) => void background.push(promise);

beforeEach(() => {
  background.length = 0;
  Object.assign(cacheRuntime, { statsFlushMs: 0, now: () => clock });
});
afterEach(() => Object.assign(cacheRuntime, saved));

describe("cache stats flushing", () => {
  it("starts a new flush when the running one never settles (a cancelled waitUntil), once it is stale", async () => {
    const hung = fakeKv(() => new Promise<never>(() => {}));
    await recordCacheEvent(hung.kv, "ns-stuck", "HIT", 0.5, waitUntil);
    await vi.waitFor(() => expect(hung.puts).toHaveLength(1));

    const healthy = fakeKv(async () => {});
    await recordCacheEvent(healthy.kv, "ns-stuck", "MISS", 0, waitUntil);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(healthy.puts).toEqual([]); // the first flush may still be running: no second writer yet

    clock += 10 * 60_000;
    await recordCacheEvent(healthy.kv, "ns-stuck", "MISS", 0, waitUntil);
    await vi.waitFor(() => expect(healthy.puts.length).toBeGreaterThan(0));
    expect(healthy.puts.at(-1)).toEqual({
      key: expect.stringMatching(/^cs1:ns-stuck:2026-03-01:[0-9a-f-]+$/),
      metadata: { hits: 1, misses: 2, semantic_hits: 0, refreshes: 0, saved_usd: 0.5 },
    });
  });

  it("writes again after a failed write, without waiting for the next request", async () => {
    const flaky = fakeKv((call) => (call === 0 ? Promise.reject(new Error("KV 429")) : Promise.resolve()));
    clock += 60 * 60_000; // past any flush of the previous test
    await recordCacheEvent(flaky.kv, "ns-flaky", "SEMANTIC HIT", 0, waitUntil);
    await Promise.allSettled(background);
    expect(flaky.puts.filter((put) => put.key.startsWith("cs1:ns-flaky:")).map((put) => put.metadata)).toEqual([
      { hits: 0, misses: 0, semantic_hits: 1, refreshes: 0, saved_usd: 0 },
      { hits: 0, misses: 0, semantic_hits: 1, refreshes: 0, saved_usd: 0 },
    ]);
  });
});
