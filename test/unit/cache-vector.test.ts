import { describe, expect, it } from "vitest";
import { MAX_BUCKET_ITEMS, mergeBucket } from "../../src/cache/semantic/kv-index";
import { fromBase64, normalise, quantise, similarity, toBase64 } from "../../src/cache/semantic/vector";

function vector(seed: number, dims = 256): number[] {
  let state = seed;
  return Array.from({ length: dims }, () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31 - 0.5;
  });
}

describe("semantic vectors", () => {
  it("keeps cosine similarity through int8 quantisation and base64", () => {
    const a = normalise(vector(1));
    const b = normalise(vector(1).map((x, i) => x + (i % 7 === 0 ? 0.02 : 0)));
    const c = normalise(vector(2));
    if (!a || !b || !c) throw new Error("zero vector");
    const stored = fromBase64(toBase64(quantise(a)));
    if (!stored) throw new Error("base64 failed");
    expect(similarity(a, stored)).toBeGreaterThan(0.999);
    expect(similarity(b, stored)).toBeGreaterThan(0.95);
    expect(similarity(c, stored)).toBeLessThan(0.3);
    expect(toBase64(quantise(a))).toHaveLength(Math.ceil(256 / 3) * 4);
  });

  it("keeps the error small enough for a threshold at high dimensions (per-vector scale)", () => {
    const a = normalise(vector(3, 1536));
    if (!a) throw new Error("zero vector");
    const stored = quantise(a);
    expect(Math.max(...Array.from(stored, Math.abs))).toBe(127);
    // A fixed x*127 scale measures ~0.996 here: at 0.95 that bias turns hits into misses.
    expect(similarity(a, stored)).toBeGreaterThan(0.9995);
  });

  it("refuses vectors it cannot compare", () => {
    expect(normalise([0, 0])).toBeNull();
    const a = normalise([1, 0, 0]);
    if (!a) throw new Error("zero vector");
    expect(similarity(a, new Int8Array(2))).toBe(-2);
  });
});

describe("semantic bucket", () => {
  const unit = normalise([1, 2, 3]) ?? new Float32Array(3);
  const item = (hash: string, t: number, e = t + 1_000_000) => ({ hash, vector: unit, createdAt: t, expiresAt: e });

  it("caps the bucket and evicts the oldest first", () => {
    let bucket = { v: 1 as const, items: [] as { h: string; q: string; t: number; e: number }[] };
    for (let i = 0; i < MAX_BUCKET_ITEMS + 5; i++) bucket = mergeBucket(bucket, [item(`h${i}`, i)], i);
    expect(bucket.items).toHaveLength(MAX_BUCKET_ITEMS);
    expect(bucket.items[0]?.h).toBe("h5");
    expect(bucket.items.at(-1)?.h).toBe(`h${MAX_BUCKET_ITEMS + 4}`);
  });

  it("drops expired items and replaces a re-added hash", () => {
    const start = mergeBucket({ v: 1, items: [] }, [item("old", 0, 10), item("keep", 1)], 0);
    const next = mergeBucket(start, [item("keep", 20)], 15);
    expect(next.items.map((i) => [i.h, i.t])).toEqual([["keep", 20]]);
  });
});
