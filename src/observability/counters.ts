import { sql, type SQL } from "drizzle-orm";
import type { AnySQLiteColumn } from "drizzle-orm/sqlite-core";
import { LATENCY_BUCKET_KEYS, type logRollups, type metricTotals } from "../../schema/db";
import { quantile } from "./histogram";

/** Summed rollup counters, as read back from log_rollups or metric_totals. */
export interface Counters {
  requests: number;
  errors: number;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  costUsd: number;
  unpriced: number;
  estimated: number;
  latencySumMs: number;
  /** Non-cumulative latency bucket counts (schema/db LATENCY_BUCKETS_MS, then overflow). */
  buckets: number[];
}

type CounterTable = typeof logRollups | typeof metricTotals;

/** SUM() of every counter column: the select list of an aggregate query over rollup rows. */
export function summedCounters(t: CounterTable): Record<string, SQL<number>> {
  const sum = (column: AnySQLiteColumn) => sql<number>`coalesce(sum(${column}), 0)`;
  const out: Record<string, SQL<number>> = {
    requests: sum(t.requests),
    errors: sum(t.errors),
    promptTokens: sum(t.promptTokens),
    completionTokens: sum(t.completionTokens),
    cachedTokens: sum(t.cachedTokens),
    cacheWriteTokens: sum(t.cacheWriteTokens),
    reasoningTokens: sum(t.reasoningTokens),
    costUsd: sum(t.costUsd),
    unpriced: sum(t.unpriced),
    estimated: sum(t.estimated),
    latencySumMs: sum(t.latencySumMs),
  };
  for (const key of LATENCY_BUCKET_KEYS) out[key] = sum(t[key]);
  return out;
}

/** Counters from a row of summedCounters() (D1 returns numbers; anything else counts as 0). */
export function countersOf(row: Record<string, unknown>): Counters {
  const num = (key: string): number => {
    const value = Number(row[key]);
    return Number.isFinite(value) ? value : 0;
  };
  return {
    requests: num("requests"),
    errors: num("errors"),
    promptTokens: num("promptTokens"),
    completionTokens: num("completionTokens"),
    cachedTokens: num("cachedTokens"),
    cacheWriteTokens: num("cacheWriteTokens"),
    reasoningTokens: num("reasoningTokens"),
    costUsd: num("costUsd"),
    unpriced: num("unpriced"),
    estimated: num("estimated"),
    latencySumMs: num("latencySumMs"),
    buckets: LATENCY_BUCKET_KEYS.map(num),
  };
}

export const ZERO: Counters = countersOf({});

export function addCounters(a: Counters, b: Counters): Counters {
  return {
    requests: a.requests + b.requests,
    errors: a.errors + b.errors,
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
    cachedTokens: a.cachedTokens + b.cachedTokens,
    cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
    reasoningTokens: a.reasoningTokens + b.reasoningTokens,
    costUsd: a.costUsd + b.costUsd,
    unpriced: a.unpriced + b.unpriced,
    estimated: a.estimated + b.estimated,
    latencySumMs: a.latencySumMs + b.latencySumMs,
    buckets: a.buckets.map((n, i) => n + (b.buckets[i] ?? 0)),
  };
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
    latency_avg_ms: c.requests > 0 ? Math.round((c.latencySumMs / c.requests) * 100) / 100 : null,
    latency_p50_ms: quantile(c.buckets, 0.5),
    latency_p95_ms: quantile(c.buckets, 0.95),
  };
}
