import type { RequestLogRow } from "../../schema/db";
import type { LogSummaryRow } from "./log-queries";

function parseJson(text: string, fallback: unknown): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return fallback;
  }
}

const iso = (date: Date): string => date.toISOString();

/** The admin API's JSON for a log row (bodies only on the detail route, and only when they were logged). */
export function presentLog(row: LogSummaryRow) {
  return {
    object: "log" as const,
    id: row.id,
    trace_id: row.traceId,
    started_at: iso(row.startedAt),
    ended_at: iso(row.endedAt),
    operation: row.operation,
    path: row.path,
    gateway_key_id: row.gatewayKeyId,
    virtual_key_id: row.virtualKeyId,
    user: row.user,
    metadata: parseJson(row.metadata, {}),
    provider: row.provider,
    requested_model: row.requestedModel,
    served_model: row.servedModel,
    model: row.model,
    strategy_path: row.strategyPath,
    attempts: parseJson(row.attempts, []),
    retries: row.retries,
    cache_status: row.cacheStatus,
    cache_key: row.cacheKey,
    /** Set on cache hits only: what the answer would have cost (cost.usd is 0). */
    cache_saved_usd: row.cacheSavedUsd,
    status: row.status,
    is_error: row.isError,
    error_type: row.errorType,
    error_message: row.errorMessage,
    denied_by: row.deniedBy,
    stream: row.stream,
    finish_reason: row.finishReason,
    stream_error: row.streamError,
    latency: {
      total_ms: row.latencyMs,
      ttft_ms: row.ttftMs,
      upstream_ms: row.upstreamMs,
      gateway_overhead_ms: row.overheadMs,
    },
    tokens: {
      prompt: row.promptTokens,
      completion: row.completionTokens,
      cached_read: row.cachedTokens,
      cache_write: row.cacheWriteTokens,
      reasoning: row.reasoningTokens,
      total: row.promptTokens + row.completionTokens,
      estimated: row.tokensEstimated,
    },
    cost: { usd: row.costUsd, unpriced: row.costUnpriced, priced_as: row.pricedAs },
    /** Moderation classifier calls (part of cost.usd when the request was priced); null when none ran. */
    guardrail_cost_usd: row.guardrailCostUsd,
    guardrail_flagged: row.guardrailFlagged,
    traceparent: row.parentTraceId ? { trace_id: row.parentTraceId, span_id: row.parentSpanId } : null,
  };
}

export function presentLogDetail(row: RequestLogRow) {
  const logged =
    row.requestBody !== null || row.responseBody !== null || row.promptVariables !== null || row.bodiesTruncated;
  return {
    ...presentLog(row),
    ...promptOf(row),
    bodies: logged
      ? {
          request: row.requestBody,
          response: row.responseBody,
          ...promptVariablesOf(row),
          truncated: row.bodiesTruncated,
        }
      : null,
  };
}

/** The prompt a row ran, on the detail route only when it ran one (other requests keep their shape). */
function promptOf(row: RequestLogRow) {
  if (row.promptId === null) return {};
  return { prompt: { id: row.promptId, version: row.promptVersion, label: row.promptLabel } };
}

/** A prompt run's logged variables (JSON text, scrubbed like the bodies), shown beside the bodies. */
function promptVariablesOf(row: RequestLogRow) {
  return row.promptVariables === null ? {} : { prompt_variables: row.promptVariables };
}
