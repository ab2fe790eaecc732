/**
 * The semantic index behind the cache: vectors of past questions, each pointing at an exact entry. One partition
 * holds only questions whose every other input (tenant, namespace, model, system prompt, earlier turns, params,
 * embedding model) was identical, so a match can only ever differ in the wording of the last user turn.
 *
 * Two implementations, chosen per request by semantic/index-for.ts: KV (kv-index.ts: one small bucket per
 * partition, the default) and Vectorize (vectorize-index.ts, when a SEMANTIC_INDEX binding exists: a partition
 * is a metadata filter, `search` a topK 1 query, `add` an upsert). Nothing else in the cache knows which.
 */
export interface SemanticPartition {
  namespace: string;
  model: string;
  scope: string;
  /** Hash of everything but the last user turn's text. */
  context: string;
}

export interface SemanticItem {
  /** The exact entry's request hash (the last field of its KV key). */
  hash: string;
  /** L2-normalised embedding. */
  vector: Float32Array;
  createdAt: number;
  expiresAt: number;
}

export interface SemanticMatch {
  hash: string;
  score: number;
}

export interface SemanticIndex {
  /**
   * The closest live item at or above `threshold`. `vector` may still be on its way (the embedding call): an
   * implementation starts its own read at once so the two overlap.
   */
  search(
    partition: SemanticPartition,
    vector: Promise<Float32Array | null>,
    threshold: number,
  ): Promise<SemanticMatch | null>;
  add(partition: SemanticPartition, item: SemanticItem): Promise<void>;
}
