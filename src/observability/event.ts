import * as z from "zod";
import { LIMITS } from "./limits";

/**
 * The log event: one per /v1 request, built after the response and sent to the LOG_QUEUE. The consumer validates
 * every message with this schema, so a message from an older or newer deployment (or anything else put on the
 * queue) is dropped with an error log instead of poisoning a batch. Bump `v` on an incompatible change.
 */
export const LOG_EVENT_VERSION = 1;

const text = z.string().max(LIMITS.text);
const nullableText = text.nullable();
const count = z.number().int().min(0);
const ms = z.number().min(0);

export const attemptEventSchema = z.object({
  target: text,
  provider: text,
  model: nullableText,
  retry: count,
  status: z.number().int().nullable(),
  /** Offset from the request's start, ms; null when the engine did not record it (tries are then laid end to end). */
  start_ms: ms.nullable(),
  latency_ms: ms,
  error: nullableText,
  skipped: z.enum(["circuit_open", "deadline"]).nullable(),
  /** The response cache answered this try: no provider was called (older events lack the field). */
  cached: z.boolean().default(false),
});

export const OPERATIONS = ["chat", "completions", "embeddings", "messages", "responses", "other"] as const;

export const logEventSchema = z.object({
  v: z.literal(LOG_EVENT_VERSION),
  /** Unique per request (the row's primary key): redelivery of the same message can never count twice. */
  id: z.string().min(1).max(LIMITS.id),
  /** x-portkey-trace-id (echoed to the client). */
  trace_id: z.string().min(1).max(LIMITS.id),
  /** A valid incoming W3C traceparent: exported spans join the caller's trace. */
  traceparent: z
    .object({
      trace_id: z.string().regex(/^[0-9a-f]{32}$/),
      span_id: z.string().regex(/^[0-9a-f]{16}$/),
      sampled: z.boolean(),
    })
    .nullable(),
  /** Epoch ms: arrival, and the last byte sent (streams) or the response produced. */
  started_at: z.number().int().min(0),
  ended_at: z.number().int().min(0),
  operation: z.enum(OPERATIONS),
  method: z.string().max(LIMITS.method),
  path: z.string().max(LIMITS.path),
  gateway_key_id: nullableText,
  virtual_key_id: nullableText,
  user: nullableText,
  metadata: z.record(z.string(), z.string()),
  provider: nullableText,
  requested_model: nullableText,
  served_model: nullableText,
  /** Config path of the target that answered (x-portkey-last-used-option-index). */
  strategy_path: nullableText,
  attempts: z.array(attemptEventSchema).max(100),
  retries: count,
  cache_status: nullableText,
  /**
   * HIT and SEMANTIC HIT only: what the answer would have cost (the hit costs 0). Defaults keep events from a
   * deployment that predates these fields valid.
   */
  cache_saved_usd: z.number().min(0).nullable().default(null),
  /** The cache entry the request read or wrote (a KV key, no secret in it). */
  cache_key: nullableText.default(null),
  /** The HTTP status the client got (a stream that broke later is still 200, with stream_error set). */
  status: z.number().int(),
  is_error: z.boolean(),
  error_type: nullableText,
  error_message: nullableText,
  denied_by: nullableText,
  /**
   * Portkey's hook_results when guardrails ran (check ids, verdicts, timings, transformed flags; the checks never
   * put matched values in them); null otherwise. Defaulted so older events stay valid.
   */
  hook_results: z
    .object({ before_request_hooks: z.array(z.unknown()).max(64), after_request_hooks: z.array(z.unknown()).max(64) })
    .nullable()
    .default(null),
  /**
   * What the request's moderation classifier calls cost (default.moderation), already added to cost.usd when the
   * request itself was priced; null when none ran or one was unpriced. Defaulted so older events stay valid.
   */
  guardrail_cost_usd: z.number().min(0).nullable().default(null),
  stream: z.boolean(),
  finish_reason: nullableText,
  stream_error: nullableText,
  latency: z.object({
    /** Arrival to the last byte sent (streams) or to the response (others). */
    total_ms: ms,
    /** Arrival to the first streamed byte; null when not streamed. */
    ttft_ms: ms.nullable(),
    /** Time spent waiting on providers (all tries); null when no provider was called. */
    upstream_ms: ms.nullable(),
    /** Arrival to response headers, minus upstream time: what the gateway itself added. */
    gateway_overhead_ms: ms.nullable(),
  }),
  tokens: z.object({
    prompt: count,
    completion: count,
    cached_read: count,
    cache_write: count,
    reasoning: count,
    total: count,
    /** True when the provider reported no usage and the counts are estimates (schema/pricing estimateTokens). */
    estimated: z.boolean(),
  }),
  cost: z.object({
    /** Null when the model has no list price: unknown is not free. */
    usd: z.number().min(0).nullable(),
    unpriced: z.boolean(),
    /** `provider/model` of the price-table entry used. */
    priced_as: nullableText,
    tier: z.enum(["base", "long"]).nullable(),
  }),
  /** Present only when body logging is on (LOG_BODIES or the key's choice); scrubbed and truncated. */
  bodies: z
    .object({
      request: nullableText,
      response: nullableText,
      /** A prompt run's variables as JSON, scrubbed and cut like the bodies (absent for other requests). */
      prompt_variables: nullableText.optional(),
      truncated: z.boolean(),
    })
    .nullable(),
  /** The prompt a /v1/prompts/{id}/... request ran; absent for every other request (and in older events). */
  prompt: z.object({ id: z.string().max(LIMITS.id), version: z.number().int().min(1), label: nullableText }).optional(),
});

export type LogEvent = z.infer<typeof logEventSchema>;
export type AttemptEvent = z.infer<typeof attemptEventSchema>;
export type Operation = LogEvent["operation"];
