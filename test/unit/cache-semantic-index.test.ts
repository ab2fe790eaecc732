import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { cacheRuntime } from "../../src/cache/runtime";
import { semanticIndexFor } from "../../src/cache/semantic/index-for";
import { KvSemanticIndex } from "../../src/cache/semantic/kv-index";
import type { SemanticPartition } from "../../src/cache/semantic/types";
import { normalise } from "../../src/cache/semantic/vector";
import { VectorizeSemanticIndex } from "../../src/cache/semantic/vectorize-index";
import { cosine } from "./cache-fake-embedding";

/**
 * A hand-written Vectorize binding (the network edge): keeps upserted vectors, answers queries by cosine score with
 * the metadata filter applied, as an index created with `metric: cosine` does. Records every call.
 */
function fakeVectorize() {
  const vectors = new Map<string, VectorizeVector>();
  const queries: { vector: number[]; options: VectorizeQueryOptions | undefined }[] = [];
  const upserts: VectorizeVector[][] = [];
  const binding: Pick<Vectorize, "query" | "upsert"> = {
    async query(vector, options) {
      queries.push({ vector: Array.from(vector), options });
      const filter = options?.filter ?? {};
      const matches = [...vectors.values()]
        .filter((stored) => Object.entries(filter).every(([field, value]) => stored.metadata?.[field] === value))
        .map((stored) => ({
          id: stored.id,
          metadata: stored.metadata,
          score: cosine(Array.from(vector), Array.from(stored.values)),
        }))
        .sort((a, b) => b.score - a.score)
        .slice(0, options?.topK ?? 5);
      return { matches, count: matches.length };
    },
    async upsert(items) {
      upserts.push(items);
      for (const item of items) vectors.set(item.id, item);
      return { mutationId: `m${upserts.length}` };
    },
  };
  return { binding, queries, upserts, vectors };
}

const unit = (values: number[]) => normalise(values) ?? new Float32Array();
const partition = (scope: string): SemanticPartition => ({
  namespace: "default",
  model: "gpt-4o-mini",
  scope,
  context: "c".repeat(64),
});
const HASH = "a".repeat(64);

const realNow = cacheRuntime.now;
afterEach(() => {
  cacheRuntime.now = realNow;
});

describe("choosing the semantic index", () => {
  it("uses KV buckets unless a Vectorize index is bound as SEMANTIC_INDEX", () => {
    expect(semanticIndexFor({ CACHE: env.CACHE })).toBeInstanceOf(KvSemanticIndex);
    expect(semanticIndexFor({ CACHE: env.CACHE, SEMANTIC_INDEX: fakeVectorize().binding })).toBeInstanceOf(
      VectorizeSemanticIndex,
    );
  });
});

describe("the Vectorize semantic index", () => {
  it("upserts one vector per entry, named by partition and entry, with the partition and entry in its metadata", async () => {
    const fake = fakeVectorize();
    const index = new VectorizeSemanticIndex(fake.binding);
    const vector = unit([1, 2, 3]);
    await index.add(partition("tenant-a"), { hash: HASH, vector, createdAt: 1_000, expiresAt: 2_000 });
    await index.add(partition("tenant-a"), { hash: HASH, vector, createdAt: 1_500, expiresAt: 2_500 });
    expect(fake.upserts).toHaveLength(2);
    const [[first], [second]] = fake.upserts as [[VectorizeVector], [VectorizeVector]];
    expect(first.id).toMatch(/^[0-9a-f]{64}$/);
    expect(second.id).toBe(first.id); // the same question stored again replaces its vector
    expect(first.values).toBe(vector);
    expect(first.metadata).toEqual({
      partition: expect.stringMatching(/^[0-9a-f]{48}$/),
      hash: HASH,
      createdAt: 1_000,
      expiresAt: 2_000,
    });
    expect(fake.vectors.size).toBe(1);
  });

  it("queries topK 1 within the partition and returns a match at or above the threshold", async () => {
    const fake = fakeVectorize();
    const index = new VectorizeSemanticIndex(fake.binding);
    cacheRuntime.now = () => 1_000;
    await index.add(partition("tenant-a"), { hash: HASH, vector: unit([1, 0, 0.1]), createdAt: 900, expiresAt: 5_000 });
    const near = unit([1, 0, 0.12]);
    const match = await index.search(partition("tenant-a"), Promise.resolve(near), 0.95);
    expect(match).toEqual({ hash: HASH, score: expect.closeTo(1, 3) });
    const stored = fake.upserts[0]?.[0]?.metadata?.partition;
    expect(fake.queries).toEqual([
      { vector: Array.from(near), options: { topK: 1, filter: { partition: stored }, returnMetadata: "all" } },
    ]);
    expect(await index.search(partition("tenant-a"), Promise.resolve(unit([0, 1, 0])), 0.95)).toBeNull();
  });

  it("never matches another partition (another tenant), an expired vector, or without a query vector", async () => {
    const fake = fakeVectorize();
    const index = new VectorizeSemanticIndex(fake.binding);
    cacheRuntime.now = () => 1_000;
    const vector = unit([0.3, 0.4, 0.5]);
    await index.add(partition("tenant-a"), { hash: HASH, vector, createdAt: 900, expiresAt: 2_000 });
    expect(await index.search(partition("tenant-b"), Promise.resolve(vector), 0.5)).toBeNull();
    expect(fake.queries[0]?.options?.filter?.partition).not.toBe(fake.upserts[0]?.[0]?.metadata?.partition);

    cacheRuntime.now = () => 2_000;
    expect(await index.search(partition("tenant-a"), Promise.resolve(vector), 0.5)).toBeNull();
    const queried = fake.queries.length;
    expect(await index.search(partition("tenant-a"), Promise.resolve(null), 0.5)).toBeNull();
    expect(fake.queries).toHaveLength(queried);
  });

  it("treats a query slower than the read timeout as no match", async () => {
    const index = new VectorizeSemanticIndex({
      query: () => new Promise<never>(() => {}),
      upsert: async () => ({ mutationId: "m" }),
    });
    const timeout = cacheRuntime.readTimeoutMs;
    cacheRuntime.readTimeoutMs = 5;
    try {
      expect(await index.search(partition("tenant-a"), Promise.resolve(unit([1, 1])), 0.5)).toBeNull();
    } finally {
      cacheRuntime.readTimeoutMs = timeout;
    }
  });
});
