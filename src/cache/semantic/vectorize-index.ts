import { hashOf } from "../canonical";
import { cacheRuntime, within } from "../runtime";
import type { SemanticIndex, SemanticItem, SemanticMatch, SemanticPartition } from "./types";

/** The part of a Vectorize binding the index uses; the beta (VectorizeIndex) and current (Vectorize) APIs agree on it. */
export type VectorizeBinding = Pick<VectorizeIndex, "query" | "upsert"> | Pick<Vectorize, "query" | "upsert">;

/**
 * Vectorize indexes the first 64 bytes of a string metadata value: a 48-hex-character partition id (192 bits)
 * stays well inside that, so the filter compares whole ids.
 */
const PARTITION_ID_CHARS = 48;

const partitionIdOf = async (partition: SemanticPartition): Promise<string> =>
  (await hashOf({ v: 1, ...partition })).slice(0, PARTITION_ID_CHARS);

/**
 * The semantic index in a Vectorize index (metric `cosine`, the embedding model's dimensions, and a string
 * metadata index on `partition`, created before the first vector: docs/cache.md). One vector per exact entry;
 * its metadata says which partition it belongs to and which entry it points at. A search is a topK 1 query
 * filtered to the partition (a filter, not Vectorize namespaces: partitions are unbounded, namespaces are not).
 * Vectorize has no TTL: an expired vector is skipped on read and replaced when its question is stored again.
 */
export class VectorizeSemanticIndex implements SemanticIndex {
  constructor(private readonly index: VectorizeBinding) {}

  async search(
    partition: SemanticPartition,
    vector: Promise<Float32Array | null>,
    threshold: number,
  ): Promise<SemanticMatch | null> {
    const [query, id] = await Promise.all([vector, partitionIdOf(partition)]);
    if (!query) return null;
    const result = await within(
      this.index.query(query, { topK: 1, filter: { partition: id }, returnMetadata: "all" }),
      cacheRuntime.readTimeoutMs,
      null,
    );
    const best = result?.matches[0];
    if (!best || best.score < threshold) return null;
    const metadata = best.metadata ?? {};
    const { hash, expiresAt } = metadata;
    // The filter already chose the partition; checking again costs nothing and keeps tenants apart if it did not.
    if (metadata.partition !== id || typeof hash !== "string" || typeof expiresAt !== "number") return null;
    return expiresAt > cacheRuntime.now() ? { hash, score: best.score } : null;
  }

  async add(partition: SemanticPartition, item: SemanticItem): Promise<void> {
    const id = await partitionIdOf(partition);
    // Vector ids are at most 64 bytes: the hash of partition and entry names the vector, so storing the same
    // question again replaces it (upsert) instead of piling up copies.
    const vectorId = await hashOf({ partition: id, hash: item.hash });
    await this.index.upsert([
      {
        id: vectorId,
        values: item.vector,
        metadata: { partition: id, hash: item.hash, createdAt: item.createdAt, expiresAt: item.expiresAt },
      },
    ]);
  }
}
