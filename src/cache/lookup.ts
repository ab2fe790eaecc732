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
import { semanticSettings } from "./settings";

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
  const settings = semanticSettings(c.env);
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
  return { index: semanticIndexFor(c.env), partition: { ...partition, context }, threshold: settings.threshold, vector };
}

export interface Hit {
  entry: CacheEntry;
  status: "HIT" | "SEMANTIC HIT";
}

/**
 * Exact entry first; on an exact miss, the nearest semantic neighbour. The semantic bucket is read at the same
 * time as the exact entry, but the embedding (a paid provider call) only starts once the exact read missed.
 */
export async function lookup(
  kv: KVNamespace,
  key: string,
  partition: Partition,
  settings: CacheSettings,
  semantic: SemanticPlan | null,
): Promise<Hit | null> {
  const exact = readEntry(kv, key, settings.maxAgeMs);
  const match = semantic?.index.search(
    semantic.partition,
    exact.then((entry) => (entry ? null : semantic.vector())),
    semantic.threshold,
  );
  // Awaited below only on an exact miss; a failure it meets otherwise must not surface as unhandled.
  match?.catch(() => {});
  const entry = await exact;
  if (entry) return { entry, status: "HIT" };
  const best = await match;
  if (!best) return null;
  const neighbour = await readEntry(kv, (await partitionPrefix(ENTRY_PREFIX, partition)) + best.hash, settings.maxAgeMs);
  return neighbour ? { entry: neighbour, status: "SEMANTIC HIT" } : null;
}
