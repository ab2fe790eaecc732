import { sql, type SQL } from "drizzle-orm";
import type { AnySQLiteColumn } from "drizzle-orm/sqlite-core";
import { LATENCY_BUCKET_KEYS, type logRollups, type metadataRollups, type metricTotals } from "../../schema/db";
import { quantile } from "./histogram";

/** The scalar counters of log_rollups and metric_totals (the latency buckets come as one array). */
const SCALARS = [
  "requests",
  "errors",
  "promptTokens",
  "completionTokens",
  "cachedTokens",
  "cacheWriteTokens",
  "reasoningTokens",
  "costUsd",
  "unpriced",
  "estimated",
  "latencySumMs",
  "cacheHits",
  "cacheSavedUsd",
  "guardrailDenied",
  "guardrailFlagged",
  "guardrailCostUsd",
] as const;
type Scalar = (typeof SCALARS)[number];

/**
 * Summed rollup counters, as read back from log_rollups or metric_totals. Token counters leave cache hits out
 * (their tokens were spent once, by the request that stored the answer); `cacheHits` and `cacheSavedUsd` count them.
 */
export type Counters = Record<Scalar, number> & {
  /** Non-cumulative latency bucket counts (schema/db LATENCY_BUCKETS_MS, then overflow). */
  buckets: number[];
};

type CounterTable = typeof logRollups | typeof metadataRollups | typeof metricTotals;

/** SUM() of every counter column: the select list of an aggregate query over rollup rows. */
export function summedCounters(t: CounterTable): Record<string, SQL<number>> {
  const sum = (column: AnySQLiteColumn) => sql<number>`coalesce(sum(${column}), 0)`;
  const out: Record<string, SQL<number>> = {};
  for (const key of [...SCALARS, ...LATENCY_BUCKET_KEYS]) out[key] = sum(t[key]);
  return out;
}

/** Counters from a row of summedCounters() (D1 returns numbers; anything else counts as 0). */
export function countersOf(row: Record<string, unknown>): Counters {
  const num = (key: string): number => {
    const value = Number(row[key]);
    return Number.isFinite(value) ? value : 0;
  };
  const scalars = Object.fromEntries(SCALARS.map((key) => [key, num(key)])) as Record<Scalar, number>;
  return { ...scalars, buckets: LATENCY_BUCKET_KEYS.map(num) };
}

export const ZERO: Counters = countersOf({});

export function addCounters(a: Counters, b: Counters): Counters {
  const scalars = Object.fromEntries(SCALARS.map((key) => [key, a[key] + b[key]])) as Record<Scalar, number>;
  return { ...scalars, buckets: a.buckets.map((n, i) => n + (b.buckets[i] ?? 0)) };
}

const usd = (value: number): number => Math.round(value * 1e10) / 1e10;

/** The analytics API's view of counters. */
export function presentCounters(c: Counters) {
  return {
    requests: c.requests,
    errors: c.errors,
    prompt_tokens: c.promptTokens,
    completion_tokens: c.completionTokens,
    cached_tokens: c.cachedTokens,
    cache_write_tokens: c.cacheWriteTokens,
    reasoning_tokens: c.reasoningTokens,
    total_tokens: c.promptTokens + c.completionTokens,
    /** Priced requests only: `unpriced_requests` says how many are missing from it. */
    cost_usd: usd(c.costUsd),
    unpriced_requests: c.unpriced,
    estimated_requests: c.estimated,
    cache_hits: c.cacheHits,
    /** What the cache hits would have cost (not in cost_usd: they cost nothing). */
    cache_saved_usd: usd(c.cacheSavedUsd),
    /** Refused by a guardrail (446) and flagged by one (a failed hook without deny: 246, or an async hook). */
    guardrail_denied: c.guardrailDenied,
    guardrail_flagged: c.guardrailFlagged,
    /** Moderation classifier calls; part of cost_usd for priced requests (docs/guardrails.md). */
    guardrail_cost_usd: usd(c.guardrailCostUsd),
    latency_avg_ms: c.requests > 0 ? Math.round((c.latencySumMs / c.requests) * 100) / 100 : null,
    latency_p50_ms: quantile(c.buckets, 0.5),
    latency_p95_ms: quantile(c.buckets, 0.95),
  };
}
