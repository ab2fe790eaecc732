import type { AppContext } from "../context";
import { hashOf } from "./canonical";
import { readEntry, type CacheEntry } from "./entry";
import { ENTRY_PREFIX, partitionPrefix, type Partition } from "./keys";
import type { CacheRequest } from "./request";
import { embedderFor } from "./semantic/embed";
import { semanticIndexFor } from "./semantic/index-for";
import { semanticQuery } from "./semantic/query";
import type { SemanticIndex, SemanticPartition } from "./semantic/types";
import type { CacheSettings } from "./settings";

/** The semantic side of one attempt: where its vector goes and how to get the vector (once). */
export interface SemanticPlan {
  index: SemanticIndex;
  partition: SemanticPartition;
  threshold: number;
  /** Memoised: the first call starts the embedding, later calls share it. */
  vector(): Promise<Float32Array | null>;
}

/** Per request: one embedding per (embedder, text), however many targets and retries look it up. */
export type VectorMemo = Map<string, Promise<Float32Array | null>>;

export async function planSemantic(
  c: AppContext,
  request: CacheRequest,
  partition: Partition,
  target: Parameters<typeof embedderFor>[1],
  memo: VectorMemo,
): Promise<SemanticPlan | null> {
  const settings = c.var.settings.semanticCache;
  if (!settings) return null;
  let embedder: ReturnType<typeof embedderFor>;
  try {
    embedder = embedderFor(settings, target, c.env);
  } catch (error) {
    // A refused SEMANTIC_CACHE_EMBEDDING_HOST is the operator's mistake, not the caller's: exact matches only.
    console.warn("semantic cache: embedding target refused", error instanceof Error ? error.message : error);
    return null;
  }
  if (!embedder) return null;
  const query = semanticQuery(request, embedder.id);
  if (!query) return null;
  const context = await hashOf(query.context);
  const id = `${embedder.id}\n${query.text}`;
  const vector = () => {
    let pending = memo.get(id);
    if (!pending) {
      pending = embedder.embed(query.text);
      memo.set(id, pending);
    }
    return pending;
  };
  return {
    index: semanticIndexFor(c.env),
    partition: { ...partition, context },
    threshold: settings.threshold,
    vector,
  };
}

export interface Hit {
  entry: CacheEntry;
  status: "HIT" | "SEMANTIC HIT";
}

/**
 * Exact entry first; on an exact miss, the nearest semantic neighbour. Nothing semantic starts before the exact
 * read missed: an exact hit reads no bucket and calls no embedder. On a miss the index read (KV bucket or
 * Vectorize query, which needs the vector) overlaps the embedding call, which is the slower of the two, so the
 * miss path is no slower than reading everything at once.
 */
export async function lookup(
  kv: KVNamespace,
  key: string,
  partition: Partition,
  settings: CacheSettings,
  semantic: SemanticPlan | null,
): Promise<Hit | null> {
  const entry = await readEntry(kv, key, settings.maxAgeMs);
  if (entry) return { entry, status: "HIT" };
  if (!semantic) return null;
  const best = await semantic.index.search(semantic.partition, semantic.vector(), semantic.threshold);
  if (!best) return null;
  const neighbour = await readEntry(
    kv,
    (await partitionPrefix(ENTRY_PREFIX, partition)) + best.hash,
    settings.maxAgeMs,
  );
  return neighbour ? { entry: neighbour, status: "SEMANTIC HIT" } : null;
}
