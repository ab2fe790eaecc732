import type { AttemptRecord, RequestOutcome } from "../context";
import type { LoggedBodies } from "./bodies";
import { costFor } from "./cost";
import { classifierCostOf, withClassifierCost } from "./guardrail-outcome";
import { LOG_EVENT_VERSION, type AttemptEvent, type LogEvent, type Operation } from "./event";
import { clip, clipOrNull, LIMITS, MAX_ERROR_CHARS, MAX_MODEL_CHARS } from "./limits";
import { scrub } from "./scrub";
import { estimatedTokens, NO_TOKENS, reportedTokens, type Tokens } from "./tokens";
import type { TraceParent } from "./traceparent";

/** What src/pipeline/stream.ts records when the client goes away mid-stream: an abort, not a provider failure. */
export const CLIENT_ABORT = "client closed the stream";

const MAX_ATTEMPTS = 100;

/** Everything the logger knows about one request once its response is done. */
export interface EventInput {
  id: string;
  traceId: string;
  traceparent: TraceParent | null;
  method: string;
  path: string;
  /** Date.now() at arrival. */
  startedAtEpoch: number;
  /** performance.now() readings: arrival, response headers ready, last byte sent. */
  startedAt: number;
  headersAt: number;
  endedAt: number;
  /** The HTTP status the client got. */
  status: number;
  /** The client went away before the response was ready (request signal aborted): it never got it. */
  clientAborted?: boolean;
  /** Read once the response body is done (see RequestOutcome for who wrote each part). */
  outcome: RequestOutcome;
  bodies: LoggedBodies | null;
  /** Credentials of this request, scrubbed from error messages too. */
  secrets: readonly string[];
}

const round = (ms: number): number => Math.max(0, Math.round(ms * 100) / 100);

export function operationOf(path: string): Operation {
  if (path.endsWith("/chat/completions")) return "chat";
  // A prompt run is a chat request; rendering one calls no provider.
  if (path.startsWith("/v1/prompts/")) return path.endsWith("/completions") ? "chat" : "other";
  if (path.endsWith("/completions")) return "completions";
  if (path.endsWith("/embeddings")) return "embeddings";
  if (path.endsWith("/v1/messages")) return "messages"; // Anthropic Messages in (count_tokens is "other")
  if (path.endsWith("/v1/responses")) return "responses"; // OpenAI Responses in (stored-response reads are "other")
  return "other";
}

/** Scrubbed of the request's credentials, then clipped (scrubbing first: a cut must not leave half a secret). */
const errorText = (text: string | undefined, secrets: readonly string[]): string | null =>
  text === undefined ? null : clip(scrub(text, secrets), MAX_ERROR_CHARS);

/** Free text the client or a provider chose, clipped to what the event schema accepts. */
const freeText = (text: string | null | undefined): string | null => clipOrNull(text, LIMITS.text);
const modelName = (model: string | null | undefined): string | null => clipOrNull(model, MAX_MODEL_CHARS);

function attemptEvents(trail: readonly AttemptRecord[], startedAt: number, secrets: readonly string[]): AttemptEvent[] {
  return trail.slice(0, MAX_ATTEMPTS).map((record) => ({
    target: clip(record.target, LIMITS.text),
    provider: record.provider,
    model: modelName(record.model),
    retry: record.retry,
    status: record.status ?? null,
    start_ms: record.startedAt === undefined ? null : round(record.startedAt - startedAt),
    latency_ms: round(record.latencyMs),
    // Provider messages sometimes quote the key they refused ("Incorrect API key provided: sk-...").
    error: errorText(record.error, secrets),
    skipped: record.skipped ?? null,
    cached: record.cached === true,
  }));
}

/** The model that was billed: what the provider said it served, else what the answering try asked for. */
export function effectiveModel(event: Pick<LogEvent, "served_model" | "requested_model" | "attempts">): string | null {
  if (event.served_model) return event.served_model;
  const tried = event.attempts.filter((a) => a.skipped === null);
  const answered = tried.filter((a) => a.status !== null && a.status < 400).at(-1) ?? tried.at(-1);
  return answered?.model ?? event.requested_model;
}

function tokensOf(outcome: RequestOutcome, attempts: readonly AttemptEvent[]): Tokens {
  if (outcome.answer.usage) return reportedTokens(outcome.answer.usage);
  // A provider answered but said nothing about usage (or the stream ended before its usage chunk): estimate.
  const answered = attempts.some((a) => a.status !== null && a.status >= 200 && a.status < 300);
  return answered ? estimatedTokens(outcome.requestBody, outcome.stream.streamedText) : NO_TOKENS;
}

function errorOf(input: EventInput) {
  const { status, outcome, secrets } = input;
  const streamError = outcome.stream.error;
  // Hung up mid-stream, or before the answer arrived: the client's choice, not a failure.
  const clientAbort = streamError === CLIENT_ABORT || input.clientAborted === true;
  const isError = status >= 400 || (streamError !== undefined && !clientAbort);
  let type = outcome.error?.type ?? null;
  if (type === null && clientAbort) type = "client_abort";
  if (type === null && streamError !== undefined) type = "stream_error";
  if (type === null && status >= 400) type = "http_error";
  return { isError, type: freeText(type), message: errorText(outcome.error?.message ?? streamError, secrets) };
}

function latencyOf(input: EventInput, attempts: readonly AttemptEvent[]): LogEvent["latency"] {
  const { outcome, startedAt } = input;
  // Provider calls only: a try the cache answered spent its time in the gateway.
  const called = attempts.filter((a) => a.skipped === null && !a.cached);
  const upstream =
    called.length > 0 ? called.reduce((sum, a) => sum + a.latency_ms, 0) : (outcome.route.upstreamMs ?? null);
  return {
    total_ms: round(input.endedAt - startedAt),
    ttft_ms:
      outcome.route.stream && outcome.stream.firstTokenMs !== undefined ? round(outcome.stream.firstTokenMs) : null,
    upstream_ms: upstream === null ? null : round(upstream),
    gateway_overhead_ms: round(input.headersAt - startedAt - (upstream ?? 0)),
  };
}

/** The log event of one request. Pure: everything comes from `input`. */
export function buildEvent(input: EventInput): LogEvent {
  const { outcome } = input;
  const { route, answer, cache, governance } = outcome;
  const attempts = attemptEvents(route.attempts ?? [], input.startedAt, input.secrets);
  const metadata = outcome.metadata ?? {};
  const error = errorOf(input);
  const tokens = tokensOf(outcome, attempts);
  const base = {
    served_model: modelName(route.servedModel),
    requested_model: modelName(route.requestedModel),
    attempts,
  };
  const provider = route.provider ?? null;
  // A cache hit called no provider: its tokens are what was saved, and it cost nothing.
  const cacheHit = cache.status === "HIT" || cache.status === "SEMANTIC HIT";
  const providerCost = cacheHit
    ? { usd: 0, unpriced: false, priced_as: null, tier: null }
    : costFor(provider, [effectiveModel(base), base.requested_model], tokens);
  // Input hooks ran before the cache: a hit (or a 446) still paid for its moderation classifier calls.
  const classifierUsd = classifierCostOf(outcome.classifierUsage);
  const cost = withClassifierCost(providerCost, classifierUsd);
  const savedUsd = cache.savedUsd;
  return {
    v: LOG_EVENT_VERSION,
    id: input.id,
    trace_id: input.traceId,
    traceparent: input.traceparent,
    started_at: input.startedAtEpoch,
    ended_at: input.startedAtEpoch + Math.max(0, Math.round(input.endedAt - input.startedAt)),
    operation: operationOf(input.path),
    method: clip(input.method, LIMITS.method),
    path: clip(input.path, LIMITS.path),
    gateway_key_id: freeText(governance.gatewayKeyId),
    virtual_key_id: freeText(governance.virtualKeyId),
    user: freeText(governance.user ?? metadata._user),
    metadata,
    provider,
    ...base,
    strategy_path: freeText(route.lastUsedOptionIndex),
    retries: route.retryAttemptCount ?? 0,
    cache_status: cache.status ?? null,
    cache_saved_usd: cacheHit && savedUsd !== undefined && Number.isFinite(savedUsd) && savedUsd >= 0 ? savedUsd : null,
    cache_key: freeText(cache.key),
    status: input.status,
    is_error: error.isError,
    error_type: error.type,
    error_message: error.message,
    denied_by: governance.deniedBy ?? null,
    hook_results: outcome.guardrails ?? null,
    guardrail_cost_usd: classifierUsd,
    stream: route.stream,
    finish_reason: freeText(answer.finishReason),
    stream_error: errorText(outcome.stream.error, input.secrets),
    latency: latencyOf(input, attempts),
    tokens,
    cost,
    bodies: input.bodies,
    ...(outcome.prompt
      ? { prompt: { id: outcome.prompt.id, version: outcome.prompt.version, label: freeText(outcome.prompt.label) } }
      : {}),
  };
}
