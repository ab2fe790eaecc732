import { eq, sql, type SQL } from "drizzle-orm";
import { LATENCY_BUCKETS_MS, logRollups, metricTotals, requestLogs } from "../../schema/db";
import type { Db } from "../admin/db";

/**
 * The rollup statements of one consumer batch. They aggregate `request_logs WHERE batch_id = ?` inside the same
 * D1 batch (one transaction) as the inserts: a redelivered event hits ON CONFLICT DO NOTHING, keeps its old
 * batch_id, and so is never counted twice; and a failed batch rolls back logs and rollups together.
 */

const latency = requestLogs.latencyMs;
// Bounds are constants from schema/db/logs.ts, inlined rather than bound (D1 allows 100 parameters per query).
const bound = (i: number): SQL => sql.raw(String(LATENCY_BUCKETS_MS[i]));

/** Non-cumulative bucket counts: b0 = latency <= 50 ms, bN = previous bound < latency <= bound, b11 = slower. */
function bucket(i: number): SQL<number> {
  if (i === 0) return sql<number>`sum(${latency} <= ${bound(0)})`;
  if (i === LATENCY_BUCKETS_MS.length) return sql<number>`sum(${latency} > ${bound(i - 1)})`;
  return sql<number>`sum(${latency} > ${bound(i - 1)} and ${latency} <= ${bound(i)})`;
}

/** Aggregates of the counter columns, in the order schema/db/logs.ts `counters()` declares them (insert-select needs aliases). */
function aggregates() {
  return {
    requests: sql<number>`count(*)`.as("requests"),
    errors: sql<number>`sum(${requestLogs.isError})`.as("errors"),
    promptTokens: sql<number>`sum(${requestLogs.promptTokens})`.as("promptTokens"),
    completionTokens: sql<number>`sum(${requestLogs.completionTokens})`.as("completionTokens"),
    cachedTokens: sql<number>`sum(${requestLogs.cachedTokens})`.as("cachedTokens"),
    cacheWriteTokens: sql<number>`sum(${requestLogs.cacheWriteTokens})`.as("cacheWriteTokens"),
    reasoningTokens: sql<number>`sum(${requestLogs.reasoningTokens})`.as("reasoningTokens"),
    costUsd: sql<number>`coalesce(sum(${requestLogs.costUsd}), 0)`.as("costUsd"),
    unpriced: sql<number>`sum(${requestLogs.costUnpriced})`.as("unpriced"),
    estimated: sql<number>`sum(${requestLogs.tokensEstimated})`.as("estimated"),
    latencySumMs: sql<number>`sum(${latency})`.as("latencySumMs"),
    latB0: bucket(0).as("latB0"),
    latB1: bucket(1).as("latB1"),
    latB2: bucket(2).as("latB2"),
    latB3: bucket(3).as("latB3"),
    latB4: bucket(4).as("latB4"),
    latB5: bucket(5).as("latB5"),
    latB6: bucket(6).as("latB6"),
    latB7: bucket(7).as("latB7"),
    latB8: bucket(8).as("latB8"),
    latB9: bucket(9).as("latB9"),
    latB10: bucket(10).as("latB10"),
    latB11: bucket(11).as("latB11"),
  };
}

type CounterKey = keyof ReturnType<typeof aggregates>;
const COUNTER_KEYS = Object.keys(aggregates()) as CounterKey[];

/** `col = col + excluded.col` for every counter: an upsert adds the batch's aggregates to the stored ones. */
function addExcluded(table: typeof logRollups | typeof metricTotals): Record<CounterKey, SQL> {
  const set = {} as Record<CounterKey, SQL>;
  for (const key of COUNTER_KEYS) {
    const column = table[key];
    set[key] = sql`${column} + excluded.${sql.identifier(column.name)}`;
  }
  return set;
}

/** The dimensions every event is rolled up by; the value is '' when the event has none (totals still add up). */
function dimensions(metadataKey: string | null): Array<[string, SQL<string>]> {
  const list: Array<[string, SQL<string>]> = [
    ["provider", sql<string>`coalesce(${requestLogs.provider}, '')`],
    ["model", sql<string>`coalesce(${requestLogs.model}, '')`],
    ["key", sql<string>`coalesce(${requestLogs.gatewayKeyId}, '')`],
    ["virtual_key", sql<string>`coalesce(${requestLogs.virtualKeyId}, '')`],
    ["user", sql<string>`coalesce(${requestLogs.user}, '')`],
  ];
  // The key passed METADATA_KEY_PATTERN (no quotes), so it is safe inside a quoted JSON path member.
  if (metadataKey) list.push([`metadata.${metadataKey}`, sql<string>`coalesce(json_extract(${requestLogs.metadata}, ${`$."${metadataKey}"`}), '')`]);
  return list;
}

export function rollupStatements(db: Db, batchId: string, metadataKey: string | null) {
  const rollups = dimensions(metadataKey).map(([dimension, value]) =>
    db
      .insert(logRollups)
      .select(
        db
          .select({ dimension: sql<string>`${dimension}`.as("dimension"), value: value.as("value"), hour: requestLogs.hour, ...aggregates() })
          .from(requestLogs)
          .where(eq(requestLogs.batchId, batchId))
          .groupBy(value, requestLogs.hour),
      )
      .onConflictDoUpdate({ target: [logRollups.dimension, logRollups.value, logRollups.hour], set: addExcluded(logRollups) }),
  );
  const provider = sql<string>`coalesce(${requestLogs.provider}, '')`;
  const model = sql<string>`coalesce(${requestLogs.model}, '')`;
  const key = sql<string>`coalesce(${requestLogs.gatewayKeyId}, '')`;
  const totals = db
    .insert(metricTotals)
    .select(
      db
        .select({ provider: provider.as("provider"), model: model.as("model"), gatewayKey: key.as("gateway_key"), ...aggregates() })
        .from(requestLogs)
        .where(eq(requestLogs.batchId, batchId))
        .groupBy(provider, model, key),
    )
    .onConflictDoUpdate({ target: [metricTotals.provider, metricTotals.model, metricTotals.gatewayKey], set: addExcluded(metricTotals) });
  return [...rollups, totals];
}
