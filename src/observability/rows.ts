import type { NewRequestLogRow } from "../../schema/db";
import { priceFor } from "../../schema/pricing";
import { effectiveModel } from "./build";
import type { LogEvent } from "./event";
import { flaggedBy } from "./guardrail-outcome";

export const HOUR_MS = 3_600_000;
export const hourOf = (epochMs: number): number => Math.floor(epochMs / HOUR_MS) * HOUR_MS;

const ms = (value: number | null): number | null => (value === null ? null : Math.round(value));

/** Models the price table does not know share one metrics label: clients choose model strings, scrapers pay per series. */
export const OTHER_MODEL = "other";

/** The `model` label of GET /metrics: the price table's name for the model (bounded), `other`, or '' for none. */
export function metricModelOf(provider: string | null, model: string | null): string {
  if (model === null) return "";
  return priceFor(provider ?? "", model)?.model ?? OTHER_MODEL;
}

/** The request_logs row of an event, tagged with the consumer batch that inserts it. */
export function rowOf(event: LogEvent, batchId: string): NewRequestLogRow {
  const model = effectiveModel(event);
  return {
    id: event.id,
    traceId: event.trace_id,
    batchId,
    startedAt: new Date(event.started_at),
    hour: hourOf(event.started_at),
    endedAt: new Date(event.ended_at),
    operation: event.operation,
    path: event.path,
    gatewayKeyId: event.gateway_key_id,
    virtualKeyId: event.virtual_key_id,
    user: event.user,
    metadata: JSON.stringify(event.metadata),
    provider: event.provider,
    requestedModel: event.requested_model,
    servedModel: event.served_model,
    model,
    metricModel: metricModelOf(event.provider, model),
    strategyPath: event.strategy_path,
    attempts: JSON.stringify(event.attempts),
    retries: event.retries,
    cacheStatus: event.cache_status,
    cacheSavedUsd: event.cache_saved_usd,
    cacheKey: event.cache_key,
    status: event.status,
    isError: event.is_error,
    errorType: event.error_type,
    errorMessage: event.error_message,
    deniedBy: event.denied_by,
    hookResults: event.hook_results === null ? null : JSON.stringify(event.hook_results),
    guardrailFlagged: event.denied_by !== "guardrail" && flaggedBy(event.hook_results),
    guardrailCostUsd: event.guardrail_cost_usd,
    stream: event.stream,
    finishReason: event.finish_reason,
    streamError: event.stream_error,
    latencyMs: Math.round(event.latency.total_ms),
    ttftMs: ms(event.latency.ttft_ms),
    upstreamMs: ms(event.latency.upstream_ms),
    overheadMs: ms(event.latency.gateway_overhead_ms),
    promptTokens: event.tokens.prompt,
    completionTokens: event.tokens.completion,
    cachedTokens: event.tokens.cached_read,
    cacheWriteTokens: event.tokens.cache_write,
    reasoningTokens: event.tokens.reasoning,
    tokensEstimated: event.tokens.estimated,
    costUsd: event.cost.usd,
    costUnpriced: event.cost.unpriced,
    pricedAs: event.cost.priced_as,
    parentTraceId: event.traceparent?.trace_id ?? null,
    parentSpanId: event.traceparent?.span_id ?? null,
    requestBody: event.bodies?.request ?? null,
    responseBody: event.bodies?.response ?? null,
    bodiesTruncated: event.bodies?.truncated ?? false,
    promptVariables: event.bodies?.prompt_variables ?? null,
    promptId: event.prompt?.id ?? null,
    promptVersion: event.prompt?.version ?? null,
    promptLabel: event.prompt?.label ?? null,
  };
}
