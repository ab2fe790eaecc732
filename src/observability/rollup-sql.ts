import { eq, sql, type SQL } from "drizzle-orm";
import type { AnySQLiteColumn } from "drizzle-orm/sqlite-core";
import {
  COUNTER_KEYS,
  LATENCY_BUCKET_KEYS,
  LATENCY_BUCKETS_MS,
  logRollups,
  metricTotals,
  requestLogs,
  type CounterKey,
} from "../../schema/db";
import type { Db } from "../storage/db";

/**
 * The rollup statements of one consumer batch. They aggregate `request_logs WHERE batch_id = ?` inside the same
 * D1 batch (one transaction) as the inserts: a redelivered event hits ON CONFLICT DO NOTHING, keeps its old
 * batch_id, and so is never counted twice; and a failed batch rolls back logs and rollups together.
 */

const latency = requestLogs.latencyMs;
// Bounds are constants from schema/db/logs.ts, inlined rather than bound (D1 allows 100 parameters per query).
const bound = (i: number): SQL => sql.raw(String(LATENCY_BUCKETS_MS[i]));

/** Non-cumulative bucket counts: bucket 0 = latency <= 5 ms, i = previous bound < latency <= bound, last = slower. */
function bucket(i: number): SQL<number> {
  if (i === 0) return sql<number>`sum(${latency} <= ${bound(0)})`;
  if (i === LATENCY_BUCKETS_MS.length) return sql<number>`sum(${latency} > ${bound(i - 1)})`;
  return sql<number>`sum(${latency} > ${bound(i - 1)} and ${latency} <= ${bound(i)})`;
}

/** 1 for a request answered from the cache (HIT or SEMANTIC HIT), else 0. */
const cacheHit = sql<number>`(coalesce(${requestLogs.cacheStatus}, '') in ('HIT', 'SEMANTIC HIT'))`;
/** Tokens a provider processed: a cache hit's tokens were spent once already, by the request that stored it. */
const spentTokens = (column: AnySQLiteColumn): SQL<number> => sql<number>`sum(${column} * (1 - ${cacheHit}))`;

/** What each counter column aggregates over the batch's rows (the metadata rollup aggregates the same). */
export function expressions(): Record<CounterKey, SQL<number>> {
  const buckets = Object.fromEntries(LATENCY_BUCKET_KEYS.map((key, i) => [key, bucket(i)])) as Record<
    (typeof LATENCY_BUCKET_KEYS)[number],
    SQL<number>
  >;
  return {
    requests: sql<number>`count(*)`,
    errors: sql<number>`sum(${requestLogs.isError})`,
    promptTokens: spentTokens(requestLogs.promptTokens),
    completionTokens: spentTokens(requestLogs.completionTokens),
    cachedTokens: spentTokens(requestLogs.cachedTokens),
    cacheWriteTokens: spentTokens(requestLogs.cacheWriteTokens),
    reasoningTokens: spentTokens(requestLogs.reasoningTokens),
    costUsd: sql<number>`coalesce(sum(${requestLogs.costUsd}), 0)`,
    unpriced: sql<number>`sum(${requestLogs.costUnpriced})`,
    estimated: sql<number>`sum(${requestLogs.tokensEstimated} * (1 - ${cacheHit}))`,
    latencySumMs: sql<number>`sum(${latency})`,
    ...buckets,
    cacheHits: sql<number>`sum(${cacheHit})`,
    cacheSavedUsd: sql<number>`coalesce(sum(${requestLogs.cacheSavedUsd}), 0)`,
    guardrailDenied: sql<number>`sum(coalesce(${requestLogs.deniedBy}, '') = 'guardrail')`,
    guardrailFlagged: sql<number>`sum(${requestLogs.guardrailFlagged})`,
    guardrailCostUsd: sql<number>`coalesce(sum(${requestLogs.guardrailCostUsd}), 0)`,
  };
}

/** Aliased aggregates in the order the counter columns are declared (an insert-select lists them in that order). */
function aggregates(): Record<CounterKey, SQL.Aliased<number>> {
  const all = expressions();
  return Object.fromEntries(COUNTER_KEYS.map((key) => [key, all[key].as(key)])) as Record<
    CounterKey,
    SQL.Aliased<number>
  >;
}

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
    // `<prompt id>@<version>`: per-version analytics of the prompt registry (src/observability/prompt-analytics.ts).
    ["prompt_version", sql<string>`coalesce(${requestLogs.promptId} || '@' || ${requestLogs.promptVersion}, '')`],
  ];
  // The key passed METADATA_KEY_PATTERN (no quotes), so it is safe inside a quoted JSON path member.
  if (metadataKey)
    list.push([
      `metadata.${metadataKey}`,
      sql<string>`coalesce(json_extract(${requestLogs.metadata}, ${`$."${metadataKey}"`}), '')`,
    ]);
  return list;
}

export function rollupStatements(db: Db, batchId: string, metadataKey: string | null) {
  const rollups = dimensions(metadataKey).map(([dimension, value]) =>
    db
      .insert(logRollups)
      .select(
        db
          .select({
            dimension: sql<string>`${dimension}`.as("dimension"),
            value: value.as("value"),
            hour: requestLogs.hour,
            ...aggregates(),
          })
          .from(requestLogs)
          .where(eq(requestLogs.batchId, batchId))
          .groupBy(value, requestLogs.hour),
      )
      .onConflictDoUpdate({
        target: [logRollups.dimension, logRollups.value, logRollups.hour],
        set: addExcluded(logRollups),
      }),
  );
  const provider = sql<string>`coalesce(${requestLogs.provider}, '')`;
  // A bounded label (schema/db/logs.ts metric_model), not the client's model string: see rows.ts metricModelOf.
  const model = sql<string>`coalesce(${requestLogs.metricModel}, '')`;
  const key = sql<string>`coalesce(${requestLogs.gatewayKeyId}, '')`;
  const totals = db
    .insert(metricTotals)
    .select(
      db
        .select({
          provider: provider.as("provider"),
          model: model.as("model"),
          gatewayKey: key.as("gateway_key"),
          ...aggregates(),
        })
        .from(requestLogs)
        .where(eq(requestLogs.batchId, batchId))
        .groupBy(provider, model, key),
    )
    .onConflictDoUpdate({
      target: [metricTotals.provider, metricTotals.model, metricTotals.gatewayKey],
      set: addExcluded(metricTotals),
    });
  return [...rollups, totals];
}
