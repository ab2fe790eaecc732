import * as z from "zod";
import type { CacheOutcome } from "../context";
import { decodeSegment, segment, STATS_PREFIX } from "./keys";
import { cacheRuntime, sleep } from "./runtime";

export type CacheStatus = NonNullable<CacheOutcome["status"]>;

const countersSchema = z.object({
  hits: z.number(),
  misses: z.number(),
  semantic_hits: z.number(),
  refreshes: z.number(),
  saved_usd: z.number(),
});
export type Counters = z.infer<typeof countersSchema>;

const zero = (): Counters => ({ hits: 0, misses: 0, semantic_hits: 0, refreshes: 0, saved_usd: 0 });

/** Shards live a little over a month: /admin/cache/stats covers the last ~30 days. */
export const STATS_TTL_S = 35 * 86_400;
/** An admin read lists at most this many pages of 1000 shards; beyond it the answer says `partial`. */
const MAX_STATS_PAGES = 20;

/**
 * Counters are per isolate: each isolate adds to its own shard (`cs1:<ns>:<day>:<isolate>`) in memory and writes
 * its running totals now and then (at most once per statsFlushMs), so no two writers ever touch one key (no lost
 * updates, no KV write-rate errors) and a write is idempotent. The price: the last few seconds of an isolate that
 * is evicted before its next flush are not counted, and stats lag by up to the flush window.
 */
const shards = new Map<string, { key: string; counters: Counters }>();
let isolateId: string | undefined;
/** Counted since the last write started (or a write failed). */
let dirty = false;
let lastFlush = 0;
/** The running flush task, if any. */
let flushing: { since: number } | null = null;

function bump(counters: Counters, status: CacheStatus, savedUsd: number): void {
  if (status === "HIT") counters.hits++;
  else if (status === "SEMANTIC HIT") counters.semantic_hits++;
  else if (status === "MISS") counters.misses++;
  else if (status === "REFRESH") counters.refreshes++;
  counters.saved_usd = Math.round((counters.saved_usd + savedUsd) * 1e10) / 1e10;
}

/**
 * Flush rounds one background task runs before it lets the next request start a new one. Two rounds of a 10 s
 * window stay inside the 30 s a waitUntil may run after its response.
 */
const MAX_ROUNDS = 2;
/**
 * A flush task older than this is presumed dead: a waitUntil that is cancelled (time limit, or its KV write never
 * answering) never settles, and must not stop this isolate from ever flushing again.
 */
const staleFlushMs = () => MAX_ROUNDS * cacheRuntime.statsFlushMs + 30_000;

async function flush(kv: Pick<KVNamespace, "put">): Promise<void> {
  for (let round = 0; round < MAX_ROUNDS && dirty; round++) {
    await sleep(Math.max(0, lastFlush + cacheRuntime.statsFlushMs - cacheRuntime.now()));
    dirty = false;
    lastFlush = cacheRuntime.now();
    const today = new Date(lastFlush).toISOString().slice(0, 10);
    const writes = [...shards.entries()].map(async ([id, shard]) => {
      await kv.put(shard.key, "", { metadata: { ...shard.counters }, expirationTtl: STATS_TTL_S });
      // Yesterday's shard is final once written: drop it from memory.
      if (!id.endsWith(today)) shards.delete(id);
    });
    // Totals are cumulative, so a failed write is repaired by the next one: make sure there is a next one.
    if ((await Promise.allSettled(writes)).some((write) => write.status === "rejected")) dirty = true;
  }
}

/** Count one cache decision; the write happens in the background (waitUntil), never on the response's path. */
export async function recordCacheEvent(
  kv: Pick<KVNamespace, "put">,
  namespace: string,
  status: CacheStatus,
  savedUsd: number,
  waitUntil: (promise: Promise<unknown>) => void,
): Promise<void> {
  if (status === "DISABLED") return;
  // Random values are not allowed at module scope in Workers: the isolate id is drawn on first use.
  isolateId ??= crypto.randomUUID().slice(0, 13);
  const now = cacheRuntime.now();
  const day = new Date(now).toISOString().slice(0, 10);
  const id = `${namespace}\n${day}`;
  let shard = shards.get(id);
  if (!shard) {
    shard = { key: `${STATS_PREFIX}${await segment(namespace)}:${day}:${isolateId}`, counters: zero() };
    shards.set(id, shard);
  }
  bump(shard.counters, status, savedUsd);
  dirty = true;
  if (flushing && now - flushing.since < staleFlushMs()) return;
  const task = { since: now };
  flushing = task;
  waitUntil(
    flush(kv).finally(() => {
      if (flushing === task) flushing = null; // a stale task that wakes up late must not release a newer one
    }),
  );
}

export interface NamespaceStats extends Counters {
  namespace: string;
}

/** Sum every shard (optionally of one namespace) from KV's listing metadata: one list call per 1000 shards. */
export async function readCacheStats(
  kv: Pick<KVNamespace, "list">,
  namespace?: string,
): Promise<{ namespaces: NamespaceStats[]; partial: boolean }> {
  const prefix = namespace === undefined ? STATS_PREFIX : `${STATS_PREFIX}${await segment(namespace)}:`;
  const totals = new Map<string, NamespaceStats>();
  let cursor: string | undefined;
  for (let page = 0; page < MAX_STATS_PAGES; page++) {
    const listed = await kv.list({ prefix, cursor });
    for (const key of listed.keys) {
      const counters = countersSchema.safeParse(key.metadata);
      if (!counters.success) continue;
      const ns = decodeSegment(key.name.slice(STATS_PREFIX.length).split(":")[0] ?? "");
      const sum = totals.get(ns) ?? { namespace: ns, ...zero() };
      sum.hits += counters.data.hits;
      sum.misses += counters.data.misses;
      sum.semantic_hits += counters.data.semantic_hits;
      sum.refreshes += counters.data.refreshes;
      sum.saved_usd = Math.round((sum.saved_usd + counters.data.saved_usd) * 1e10) / 1e10;
      totals.set(ns, sum);
    }
    if (listed.list_complete) return { namespaces: [...totals.values()], partial: false };
    cursor = listed.cursor;
  }
  return { namespaces: [...totals.values()], partial: true };
}
