import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Request logs and what is derived from them (src/observability). Written only by the queue consumer, never on the
 * request path. Times are epoch milliseconds; `hour` is the start of the UTC hour an event started in.
 */

/**
 * Upper bounds (ms, inclusive) of the latency histogram buckets; one more bucket (`lat_b11`) counts everything
 * slower. Fixed on purpose: rollups add bucket counts, so the bounds can never change without a new column set.
 * 5, 10 and 25 ms came with migration 0005 (columns `lat_le5`, `lat_le10`, `lat_le25`): a gateway answering from
 * cache or refusing a request is faster than the 50 ms the first bucket used to start at.
 */
export const LATENCY_BUCKETS_MS = [
  5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 120000,
] as const;

/** The additive counters every rollup row carries (fresh builders per table: drizzle binds a builder to one table). */
function counters() {
  return {
    requests: integer("requests").notNull().default(0),
    errors: integer("errors").notNull().default(0),
    promptTokens: integer("prompt_tokens").notNull().default(0),
    completionTokens: integer("completion_tokens").notNull().default(0),
    cachedTokens: integer("cached_tokens").notNull().default(0),
    cacheWriteTokens: integer("cache_write_tokens").notNull().default(0),
    reasoningTokens: integer("reasoning_tokens").notNull().default(0),
    /** Sum over priced requests only; `unpriced` counts the others, so a sum is never silently low. */
    costUsd: real("cost_usd").notNull().default(0),
    unpriced: integer("unpriced").notNull().default(0),
    estimated: integer("estimated").notNull().default(0),
    latencySumMs: integer("latency_sum_ms").notNull().default(0),
    latB0: integer("lat_b0").notNull().default(0),
    latB1: integer("lat_b1").notNull().default(0),
    latB2: integer("lat_b2").notNull().default(0),
    latB3: integer("lat_b3").notNull().default(0),
    latB4: integer("lat_b4").notNull().default(0),
    latB5: integer("lat_b5").notNull().default(0),
    latB6: integer("lat_b6").notNull().default(0),
    latB7: integer("lat_b7").notNull().default(0),
    latB8: integer("lat_b8").notNull().default(0),
    latB9: integer("lat_b9").notNull().default(0),
    latB10: integer("lat_b10").notNull().default(0),
    latB11: integer("lat_b11").notNull().default(0),
    latLe5: integer("lat_le5").notNull().default(0),
    latLe10: integer("lat_le10").notNull().default(0),
    latLe25: integer("lat_le25").notNull().default(0),
    /**
     * Cache hits (HIT and SEMANTIC HIT) and what they saved (migration 0005). The token counters above count only
     * tokens providers processed: a hit's tokens were not spent again, so they are not in them.
     */
    cacheHits: integer("cache_hits").notNull().default(0),
    cacheSavedUsd: real("cache_saved_usd").notNull().default(0),
    /**
     * Guardrails (migration 0013): requests a guardrail refused (446, denied_by 'guardrail'), requests served or
     * refused otherwise with a failed hook that does not deny (246, or an async hook's fail), and what moderation
     * classifier calls cost (already inside cost_usd when the request itself was priced).
     */
    guardrailDenied: integer("guardrail_denied").notNull().default(0),
    guardrailFlagged: integer("guardrail_flagged").notNull().default(0),
    guardrailCostUsd: real("guardrail_cost_usd").notNull().default(0),
  };
}

export type CounterKey = keyof ReturnType<typeof counters>;

/** The counter columns, for another rollup table that keeps the same measures (schema/db/metadata-rollups.ts). */
export const rollupCounterColumns = counters;

/** The counter columns in declaration order (an INSERT ... SELECT lists its columns in this order). */
export const COUNTER_KEYS = Object.keys(counters()) as CounterKey[];

/**
 * The column of each latency bucket, in bucket order (LATENCY_BUCKETS_MS, then the overflow). Since migration 0005
 * `lat_b0` is the 25..50 ms bucket; rows rolled up before it counted every request up to 50 ms there.
 */
// prettier-ignore
export const LATENCY_BUCKET_KEYS = [
  "latLe5", "latLe10", "latLe25",
  "latB0", "latB1", "latB2", "latB3", "latB4", "latB5", "latB6", "latB7", "latB8", "latB9", "latB10", "latB11",
] as const satisfies readonly CounterKey[];

export const requestLogs = sqliteTable(
  "request_logs",
  {
    /** The event id (one per request), so a redelivered message can never insert a second row. */
    id: text("id").primaryKey(),
    /** x-portkey-trace-id: the caller's, or generated. Callers may reuse one across requests. */
    traceId: text("trace_id").notNull(),
    /** The consumer batch that inserted the row: rollups aggregate exactly the rows of their own batch. */
    batchId: text("batch_id").notNull(),
    startedAt: integer("started_at", { mode: "timestamp_ms" }).notNull(),
    hour: integer("hour").notNull(),
    endedAt: integer("ended_at", { mode: "timestamp_ms" }).notNull(),
    operation: text("operation").notNull(),
    path: text("path").notNull(),
    gatewayKeyId: text("gateway_key_id"),
    virtualKeyId: text("virtual_key_id"),
    user: text("user"),
    metadata: text("metadata").notNull().default("{}"),
    provider: text("provider"),
    requestedModel: text("requested_model"),
    servedModel: text("served_model"),
    /** served_model, else requested_model: what filters and rollups group by. */
    model: text("model"),
    /**
     * The `model` label of GET /metrics (migration 0005): the price table's name for `model`, `other` for a model
     * the table does not know, '' for none. Bounded by the price table, whatever strings clients send.
     */
    metricModel: text("metric_model"),
    strategyPath: text("strategy_path"),
    attempts: text("attempts").notNull().default("[]"),
    retries: integer("retries").notNull().default(0),
    cacheStatus: text("cache_status"),
    status: integer("status").notNull(),
    isError: integer("is_error", { mode: "boolean" }).notNull(),
    errorType: text("error_type"),
    errorMessage: text("error_message"),
    deniedBy: text("denied_by"),
    /** hook_results JSON of the guardrails that ran (no matched values); null when none ran. */
    hookResults: text("hook_results"),
    stream: integer("stream", { mode: "boolean" }).notNull(),
    finishReason: text("finish_reason"),
    streamError: text("stream_error"),
    latencyMs: integer("latency_ms").notNull(),
    ttftMs: integer("ttft_ms"),
    upstreamMs: integer("upstream_ms"),
    overheadMs: integer("overhead_ms"),
    promptTokens: integer("prompt_tokens").notNull().default(0),
    completionTokens: integer("completion_tokens").notNull().default(0),
    cachedTokens: integer("cached_tokens").notNull().default(0),
    cacheWriteTokens: integer("cache_write_tokens").notNull().default(0),
    reasoningTokens: integer("reasoning_tokens").notNull().default(0),
    tokensEstimated: integer("tokens_estimated", { mode: "boolean" }).notNull().default(false),
    /** Null when the model has no list price (cost_unpriced = 1): unknown is not free. */
    costUsd: real("cost_usd"),
    costUnpriced: integer("cost_unpriced", { mode: "boolean" }).notNull().default(false),
    /** `provider/model` of the price-table entry used (azure-openai is priced from openai, ...). */
    pricedAs: text("priced_as"),
    /** From an incoming W3C traceparent: the caller's trace and span, so exported spans join that trace. */
    parentTraceId: text("parent_trace_id"),
    parentSpanId: text("parent_span_id"),
    requestBody: text("request_body"),
    responseBody: text("response_body"),
    bodiesTruncated: integer("bodies_truncated", { mode: "boolean" }).notNull().default(false),
    /** On a HIT or SEMANTIC HIT: what the answer would have cost at today's list price (the hit itself costs 0). */
    cacheSavedUsd: real("cache_saved_usd"),
    /** The cache entry the request read or wrote (POST /admin/cache/invalidate takes it); no secret in it. */
    cacheKey: text("cache_key"),
    /** The prompt a /v1/prompts/{id}/completions request ran (migration 0009): its id, version and the label used. */
    promptId: text("prompt_id"),
    promptVersion: integer("prompt_version"),
    promptLabel: text("prompt_label"),
    /** The run's `variables` as JSON (migration 0011): only when bodies are logged, scrubbed and cut like them. */
    promptVariables: text("prompt_variables"),
    /** A hook failed without denying (migration 0013): a 246, or an async hook's fail; never set on a 446. */
    guardrailFlagged: integer("guardrail_flagged", { mode: "boolean" }).notNull().default(false),
    /** What the request's moderation classifier calls cost (migration 0013); null when none ran or one was unpriced. */
    guardrailCostUsd: real("guardrail_cost_usd"),
  },
  (t) => [
    index("request_logs_started_idx").on(t.startedAt, t.id),
    index("request_logs_trace_idx").on(t.traceId),
    index("request_logs_batch_idx").on(t.batchId),
    index("request_logs_key_idx").on(t.gatewayKeyId, t.startedAt),
    index("request_logs_user_idx").on(t.user, t.startedAt),
  ],
);

/**
 * Hourly rollups, one row per (dimension, value, hour). Dimensions: provider, model, key, virtual_key, user and
 * `metadata.<ANALYTICS_METADATA_KEY>`. Every request counts once in every dimension (value '' when it has none),
 * so the rows of one dimension always add up to the same totals.
 */
export const logRollups = sqliteTable(
  "log_rollups",
  {
    dimension: text("dimension").notNull(),
    value: text("value").notNull(),
    hour: integer("hour").notNull(),
    ...counters(),
  },
  (t) => [
    primaryKey({ columns: [t.dimension, t.value, t.hour] }),
    index("log_rollups_hour_idx").on(t.dimension, t.hour),
  ],
);

/** Lifetime counters by provider, model and gateway key ('' when none): what GET /metrics exposes. */
export const metricTotals = sqliteTable(
  "metric_totals",
  {
    provider: text("provider").notNull(),
    model: text("model").notNull(),
    gatewayKey: text("gateway_key").notNull(),
    ...counters(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.model, t.gatewayKey] })],
);

/** One row per budget alert sent: the primary key is the "once per threshold per period" rule. */
export const budgetAlerts = sqliteTable(
  "budget_alerts",
  {
    /** `gateway_key` or `virtual_key`: both kinds of key carry budgets (schema/db/keys.ts). */
    keyKind: text("key_kind").notNull(),
    keyId: text("key_id").notNull(),
    periodStart: integer("period_start").notNull(),
    thresholdPercent: integer("threshold_percent").notNull(),
    limitUsd: real("limit_usd").notNull(),
    spentUsd: real("spent_usd").notNull(),
    sentAt: integer("sent_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.keyKind, t.keyId, t.periodStart, t.thresholdPercent] })],
);

export type RequestLogRow = typeof requestLogs.$inferSelect;
export type NewRequestLogRow = typeof requestLogs.$inferInsert;
export type LogRollupRow = typeof logRollups.$inferSelect;
export type MetricTotalsRow = typeof metricTotals.$inferSelect;
