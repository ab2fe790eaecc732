import type { AttemptEvent, LogEvent } from "./event";
import { spanIdFor, traceIdFor } from "./otlp-ids";

/**
 * OTLP/HTTP JSON traces (opentelemetry-proto `ExportTraceServiceRequest`): one SERVER span per request and a
 * CLIENT child span per provider try, with the GenAI semantic-convention attributes. Gateway-specific attributes
 * live under `ai_gateway.*`.
 */
type AnyValue =
  | { stringValue: string }
  | { intValue: string }
  | { doubleValue: number }
  | { boolValue: boolean }
  | { arrayValue: { values: AnyValue[] } };
export interface KeyValue {
  key: string;
  value: AnyValue;
}
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: KeyValue[];
  status: { code: number; message?: string };
}

const SPAN_KIND_INTERNAL = 1;
const SPAN_KIND_SERVER = 2;
const SPAN_KIND_CLIENT = 3;
const STATUS_UNSET = 0;
const STATUS_ERROR = 2;

/** gen_ai.system well-known values where ours differ from the convention's. */
const GEN_AI_SYSTEM: Readonly<Record<string, string>> = {
  "azure-openai": "az.ai.openai",
  google: "gcp.gemini",
  "vertex-ai": "gcp.vertex_ai",
  bedrock: "aws.bedrock",
  "mistral-ai": "mistral_ai",
  "x-ai": "xai",
  "perplexity-ai": "perplexity",
};
const OPERATION: Readonly<Record<LogEvent["operation"], string>> = {
  chat: "chat",
  completions: "text_completion",
  embeddings: "embeddings",
  messages: "chat", // Anthropic Messages in: a chat in the semantic conventions' terms
  responses: "chat", // OpenAI Responses in: a chat too
  other: "other",
};

function attr(key: string, value: string | number | boolean | string[] | null | undefined): KeyValue[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return [{ key, value: { arrayValue: { values: value.map((v) => ({ stringValue: v })) } } }];
  if (typeof value === "string") return [{ key, value: { stringValue: value } }];
  if (typeof value === "boolean") return [{ key, value: { boolValue: value } }];
  // int64 is a decimal string in the protobuf JSON mapping OTLP/JSON follows.
  return [{ key, value: Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value } }];
}

/** Epoch ms (fractional allowed) as unix nanoseconds, exactly: BigInt, since ns do not fit a double. */
const nanos = (epochMs: number, offsetMs = 0): string =>
  (BigInt(epochMs) * 1_000_000n + BigInt(Math.round(offsetMs * 1e6))).toString();

const system = (provider: string) => GEN_AI_SYSTEM[provider] ?? provider;

function requestAttributes(event: LogEvent, model: string | null): KeyValue[] {
  return [
    ...attr("gen_ai.operation.name", OPERATION[event.operation]),
    ...(event.provider
      ? [...attr("gen_ai.system", system(event.provider)), ...attr("gen_ai.provider.name", system(event.provider))]
      : []),
    ...attr("gen_ai.request.model", event.requested_model),
    ...attr("gen_ai.response.model", model),
    ...attr("gen_ai.usage.input_tokens", event.tokens.prompt),
    ...attr("gen_ai.usage.output_tokens", event.tokens.completion),
    ...attr("gen_ai.response.finish_reasons", event.finish_reason ? [event.finish_reason] : null),
    ...attr("http.request.method", event.method),
    ...attr("url.path", event.path),
    ...attr("http.response.status_code", event.status),
    ...attr("error.type", event.is_error ? (event.error_type ?? String(event.status)) : null),
    ...attr("user.id", event.user),
    ...attr("ai_gateway.trace_id", event.trace_id),
    ...attr("ai_gateway.event_id", event.id),
    ...attr("ai_gateway.gateway_key_id", event.gateway_key_id),
    ...attr("ai_gateway.virtual_key_id", event.virtual_key_id),
    ...attr("ai_gateway.strategy_path", event.strategy_path),
    ...attr("ai_gateway.retries", event.retries),
    ...attr("ai_gateway.cache_status", event.cache_status),
    ...attr("ai_gateway.cache_key", event.cache_key),
    ...attr("ai_gateway.cache_saved_usd", event.cache_saved_usd),
    ...attr("ai_gateway.stream", event.stream),
    ...attr("ai_gateway.stream_error", event.stream_error),
    ...attr("ai_gateway.usage.cached_read_tokens", event.tokens.cached_read),
    ...attr("ai_gateway.usage.cache_write_tokens", event.tokens.cache_write),
    ...attr("ai_gateway.usage.reasoning_tokens", event.tokens.reasoning),
    ...attr("ai_gateway.usage.estimated", event.tokens.estimated),
    ...attr("ai_gateway.cost_usd", event.cost.usd),
    ...attr("ai_gateway.cost_unpriced", event.cost.unpriced),
    ...attr("ai_gateway.latency.ttft_ms", event.latency.ttft_ms),
    ...attr("ai_gateway.latency.gateway_overhead_ms", event.latency.gateway_overhead_ms),
    ...Object.entries(event.metadata).flatMap(([k, v]) => attr(`ai_gateway.metadata.${k}`, v)),
  ];
}

function attemptAttributes(event: LogEvent, attempt: AttemptEvent): KeyValue[] {
  const failed = attempt.skipped !== null || attempt.status === null || attempt.status >= 400;
  return [
    ...attr("gen_ai.operation.name", OPERATION[event.operation]),
    ...attr("gen_ai.system", system(attempt.provider)),
    ...attr("gen_ai.provider.name", system(attempt.provider)),
    ...attr("gen_ai.request.model", attempt.model),
    ...attr("http.response.status_code", attempt.status),
    ...attr("error.type", failed ? (attempt.skipped ?? String(attempt.status ?? "error")) : null),
    ...attr("ai_gateway.target", attempt.target),
    ...attr("ai_gateway.retry", attempt.retry),
    ...attr("ai_gateway.skipped", attempt.skipped),
    ...attr("ai_gateway.cached", attempt.cached || null),
  ];
}

/** The spans of one event: the request, then its tries in order. */
export async function spansOf(event: LogEvent, model: string | null): Promise<OtlpSpan[]> {
  const traceId = event.traceparent?.trace_id ?? (await traceIdFor(event.trace_id));
  const spanId = await spanIdFor(event.id);
  const name =
    event.operation === "other"
      ? `${event.method} ${event.path}`
      : `${OPERATION[event.operation]} ${model ?? event.requested_model ?? "unknown"}`;
  const request: OtlpSpan = {
    traceId,
    spanId,
    ...(event.traceparent ? { parentSpanId: event.traceparent.span_id } : {}),
    name,
    kind: SPAN_KIND_SERVER,
    startTimeUnixNano: nanos(event.started_at),
    endTimeUnixNano: nanos(event.started_at, event.latency.total_ms),
    attributes: requestAttributes(event, model),
    status: event.is_error
      ? { code: STATUS_ERROR, message: event.error_message ?? event.error_type ?? "" }
      : { code: STATUS_UNSET },
  };
  const spans = [request];
  // Without recorded start offsets, tries are laid end to end from the request's start (they run one by one).
  let cursor = 0;
  for (const [i, attempt] of event.attempts.entries()) {
    const start = attempt.start_ms ?? cursor;
    cursor = start + attempt.latency_ms;
    const failed = attempt.skipped !== null || attempt.status === null || attempt.status >= 400;
    spans.push({
      traceId,
      spanId: await spanIdFor(event.id, i),
      parentSpanId: spanId,
      name: `${OPERATION[event.operation]} ${attempt.model ?? "unknown"}`,
      // A try the cache answered called nobody: an internal step, not a client call to the provider.
      kind: attempt.cached ? SPAN_KIND_INTERNAL : SPAN_KIND_CLIENT,
      startTimeUnixNano: nanos(event.started_at, start),
      endTimeUnixNano: nanos(event.started_at, start + attempt.latency_ms),
      attributes: attemptAttributes(event, attempt),
      status: failed ? { code: STATUS_ERROR, message: attempt.error ?? attempt.skipped ?? "" } : { code: STATUS_UNSET },
    });
  }
  return spans;
}

export function tracesPayload(spans: OtlpSpan[]) {
  return {
    resourceSpans: [
      {
        resource: { attributes: [...attr("service.name", "ai-gateway"), ...attr("telemetry.sdk.language", "js")] },
        scopeSpans: [{ scope: { name: "ai-gateway/observability", version: "1" }, spans }],
      },
    ],
  };
}
