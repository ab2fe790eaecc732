import { describe, expect, it } from "vitest";
import { TtlCache } from "../../src/governance/ttl-cache";

/** The isolate cache in front of D1 for keys: what another isolate sees after an admin change depends on it. */
describe("key cache", () => {
  function setup(maxEntries = 10) {
    let now = 0;
    let loads = 0;
    const cache = new TtlCache<string>({ ttlMs: 10_000, missTtlMs: 5_000, maxEntries, now: () => now });
    const load = (value: string | null) => async () => {
      loads += 1;
      return value;
    };
    return { cache, load, tick: (ms: number) => (now += ms), loads: () => loads };
  }

  it("keeps a hit for the TTL, then reloads (a change made elsewhere shows up within it)", async () => {
    const { cache, load, tick, loads } = setup();
    expect(await cache.get("k", load("v1"))).toBe("v1");
    tick(9_999);
    expect(await cache.get("k", load("v2"))).toBe("v1");
    tick(1);
    expect(await cache.get("k", load("v2"))).toBe("v2");
    expect(loads()).toBe(2);
  });

  it("keeps a miss for less time, and a delete applies at once", async () => {
    const { cache, load, tick } = setup();
    expect(await cache.get("k", load(null))).toBeNull();
    tick(4_999);
    expect(await cache.get("k", load("created"))).toBeNull();
    tick(1);
    expect(await cache.get("k", load("created"))).toBe("created");
    cache.delete("k");
    expect(await cache.get("k", load("changed"))).toBe("changed");
  });

  it("shares one load between concurrent callers and never caches an error", async () => {
    const { cache, loads } = setup();
    let release: (value: string) => void = () => {};
    const slow = () => {
      return new Promise<string>((resolve) => (release = resolve));
    };
    const both = Promise.all([cache.get("k", slow), cache.get("k", slow)]);
    release("v");
    expect(await both).toEqual(["v", "v"]);
    await expect(cache.get("e", () => Promise.reject(new Error("D1 down")))).rejects.toThrow("D1 down");
    expect(await cache.get("e", async () => "recovered")).toBe("recovered");
    expect(loads()).toBe(0);
  });

  it("is bounded: the oldest entry goes first", async () => {
    const { cache, load, loads } = setup(2);
    await cache.get("a", load("a"));
    await cache.get("b", load("b"));
    await cache.get("c", load("c"));
    await cache.get("b", load("b2"));
    expect(loads()).toBe(3);
    expect(await cache.get("a", load("a2"))).toBe("a2");
  });

  it("misses are kept apart: a flood of unknown keys cannot push a real key out", async () => {
    const { cache, load, loads } = setup(2);
    await cache.get("real", load("v"));
    for (let i = 0; i < 10; i++) await cache.get(`forged-${i}`, load(null));
    expect(await cache.get("real", load("reloaded"))).toBe("v");
    expect(loads()).toBe(11);
    // and the miss map is bounded too: the oldest forged key is loaded again
    expect(await cache.get("forged-0", load(null))).toBeNull();
    expect(loads()).toBe(12);
  });
});
