import * as z from "zod";
import { BUCKET_PREFIX, partitionPrefix } from "../keys";
import { cacheRuntime, sleep, within } from "../runtime";
import { KV_MIN_TTL_S } from "../settings";
import type { SemanticIndex, SemanticItem, SemanticMatch, SemanticPartition } from "./types";
import { fromBase64, quantise, similarity, toBase64 } from "./vector";

/**
 * Most vectors one bucket keeps. A lookup reads one bucket and scores every vector in it, so this bounds the
 * cost of a lookup (one KV read of at most ~130 KB at 1536 dimensions, 64 dot products) whatever the tenant's
 * traffic. The oldest item is evicted first: true LRU would need a KV write on every hit.
 */
export const MAX_BUCKET_ITEMS = 64;

const bucketSchema = z.object({
  v: z.literal(1),
  items: z.array(z.object({ h: z.string(), q: z.string(), t: z.number(), e: z.number() })),
});
type Bucket = z.infer<typeof bucketSchema>;

const EMPTY_BUCKET: Bucket = { v: 1, items: [] };

async function readBucket(kv: KVNamespace, key: string): Promise<Bucket> {
  const parsed = bucketSchema.safeParse(await kv.get(key, "json"));
  return parsed.success ? parsed.data : { v: 1, items: [] };
}

/** Items gathered in this isolate for one bucket, written together (KV takes one write per key per second). */
const pending = new Map<string, { items: SemanticItem[]; written: Promise<void> }>();

/** Expired items out, re-added hashes replaced, newest last, at most MAX_BUCKET_ITEMS. */
export function mergeBucket(bucket: Bucket, added: readonly SemanticItem[], now: number): Bucket {
  const fresh = new Set(added.map((item) => item.hash));
  const kept = bucket.items.filter((item) => item.e > now && !fresh.has(item.h));
  const incoming = added.map((item) => ({
    h: item.hash,
    q: toBase64(quantise(item.vector)),
    t: item.createdAt,
    e: item.expiresAt,
  }));
  const items = [...kept, ...incoming].sort((a, b) => a.t - b.t).slice(-MAX_BUCKET_ITEMS);
  return { v: 1, items };
}

export class KvSemanticIndex implements SemanticIndex {
  constructor(private readonly kv: KVNamespace) {}

  private key(partition: SemanticPartition): Promise<string> {
    return partitionPrefix(BUCKET_PREFIX, partition).then((prefix) => prefix + partition.context);
  }

  async search(
    partition: SemanticPartition,
    vector: Promise<Float32Array | null>,
    threshold: number,
  ): Promise<SemanticMatch | null> {
    // A bucket slower than the read timeout reads as empty: no semantic match, the request goes on as a MISS.
    const bucket = this.key(partition).then((key) =>
      within(readBucket(this.kv, key), cacheRuntime.readTimeoutMs, EMPTY_BUCKET),
    );
    const [query, { items }] = await Promise.all([vector, bucket]);
    if (!query) return null;
    const now = cacheRuntime.now();
    let best: SemanticMatch | null = null;
    for (const item of items) {
      if (item.e <= now) continue;
      const stored = fromBase64(item.q);
      const score = stored ? similarity(query, stored) : -2;
      if (score >= threshold && (!best || score > best.score)) best = { hash: item.h, score };
    }
    return best;
  }

  async add(partition: SemanticPartition, item: SemanticItem): Promise<void> {
    const key = await this.key(partition);
    const queued = pending.get(key);
    if (queued) {
      queued.items.push(item);
      return queued.written;
    }
    const batch = { items: [item], written: Promise.resolve() };
    batch.written = sleep(cacheRuntime.bucketCoalesceMs).then(async () => {
      pending.delete(key);
      const now = cacheRuntime.now();
      const merged = mergeBucket(await readBucket(this.kv, key), batch.items, now);
      const lastExpiry = Math.max(...merged.items.map((entry) => entry.e));
      const ttl = Math.max(KV_MIN_TTL_S, Math.ceil((lastExpiry - now) / 1000));
      await this.kv.put(key, JSON.stringify(merged), { expirationTtl: ttl });
    });
    pending.set(key, batch);
    return batch.written;
  }
}
