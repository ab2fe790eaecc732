import { createExecutionContext, createMessageBatch, getQueueResult, type QueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { consumeLogBatch, type ConsumerDeps } from "../../src/observability/consumer";
import type { LogEvent } from "../../src/observability/event";

/** A log row as D1 returns it (snake_case columns). */
export interface LogRowRaw {
  id: string;
  trace_id: string;
  status: number;
  is_error: number;
  error_type: string | null;
  error_message: string | null;
  provider: string | null;
  requested_model: string | null;
  served_model: string | null;
  model: string | null;
  path: string;
  stream: number;
  stream_error: string | null;
  finish_reason: string | null;
  cache_status: string | null;
  cache_saved_usd: number | null;
  cache_key: string | null;
  prompt_tokens: number;
  completion_tokens: number;
  cached_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
  tokens_estimated: number;
  cost_usd: number | null;
  cost_unpriced: number;
  priced_as: string | null;
  latency_ms: number;
  upstream_ms: number | null;
  metadata: string;
  user: string | null;
  attempts: string;
  request_body: string | null;
  response_body: string | null;
  bodies_truncated: number;
  parent_trace_id: string | null;
  parent_span_id: string | null;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function rowsOfTrace(traceId: string): Promise<LogRowRaw[]> {
  return env.DB.prepare("SELECT * FROM request_logs WHERE trace_id = ?")
    .bind(traceId)
    .all<LogRowRaw>()
    .then((r) => r.results);
}

/**
 * The log rows of a trace once the real queue delivered them: polls D1 (bounded), then waits a little longer and
 * reads again, so a second event for the same request would be seen and fail "exactly one".
 */
export async function loggedRows(traceId: string, timeoutMs = 15_000): Promise<LogRowRaw[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await rowsOfTrace(traceId);
    if (rows.length > 0) {
      await sleep(1_200);
      return rowsOfTrace(traceId);
    }
    if (Date.now() > deadline) return rows;
    await sleep(100);
  }
}

/** The one log row of a trace (fails unless there is exactly one). */
export async function loggedRow(traceId: string): Promise<LogRowRaw> {
  const rows = await loggedRows(traceId);
  expect(rows, `log rows of trace ${traceId}`).toHaveLength(1);
  return rows[0] as LogRowRaw;
}

export const uniqueTrace = (label: string): string => `obs-${label}-${crypto.randomUUID()}`;

/** A valid log event (a successful chat request); override what the test is about. */
export function makeEvent(overrides: Partial<LogEvent> = {}): LogEvent {
  const id = crypto.randomUUID();
  return {
    v: 1,
    id,
    trace_id: `trace-${id}`,
    traceparent: null,
    started_at: Date.now(),
    ended_at: Date.now() + 100,
    operation: "chat",
    method: "POST",
    path: "/v1/chat/completions",
    gateway_key_id: null,
    virtual_key_id: null,
    user: null,
    metadata: {},
    provider: "openai",
    requested_model: "gpt-4o-mini",
    served_model: "gpt-4o-mini",
    strategy_path: "config",
    attempts: [
      {
        target: "config",
        provider: "openai",
        model: "gpt-4o-mini",
        retry: 0,
        status: 200,
        start_ms: 1,
        latency_ms: 90,
        error: null,
        skipped: null,
        cached: false,
      },
    ],
    retries: 0,
    cache_status: null,
    cache_saved_usd: null,
    hook_results: null,
    guardrail_cost_usd: null,
    cache_key: null,
    status: 200,
    is_error: false,
    error_type: null,
    error_message: null,
    denied_by: null,
    stream: false,
    finish_reason: "stop",
    stream_error: null,
    latency: { total_ms: 100, ttft_ms: null, upstream_ms: 90, gateway_overhead_ms: 10 },
    tokens: { prompt: 10, completion: 5, cached_read: 0, cache_write: 0, reasoning: 0, total: 15, estimated: false },
    cost: { usd: 0.0000045, unpriced: false, priced_as: "openai/gpt-4o-mini", tier: "base" },
    bodies: null,
    ...overrides,
  };
}

let messageCounter = 0;

/** Deliver events to the consumer as one queue batch (attempts: 1 = first delivery). */
export async function deliver(
  events: unknown[],
  options: { attempts?: number; env?: Env; deps?: ConsumerDeps; ids?: string[] } = {},
): Promise<{ result: QueueResult; ids: string[] }> {
  const ids = options.ids ?? events.map(() => `msg-${++messageCounter}`);
  const batch = createMessageBatch<unknown>(
    "ai-gateway-logs",
    events.map((body, i) => ({
      id: ids[i] ?? `msg-${++messageCounter}`,
      timestamp: new Date(),
      attempts: options.attempts ?? 1,
      body,
    })),
  );
  const ctx = createExecutionContext();
  await consumeLogBatch(batch, options.env ?? env, options.deps);
  return { result: await getQueueResult(batch, ctx), ids };
}

/** A whole UTC hour nobody else writes to (far in the future, random), so rollup assertions see only this test. */
export function privateHour(): number {
  const hours = Math.floor(Math.random() * 24 * 365 * 20);
  return Date.UTC(2040, 0, 1) + hours * 3_600_000;
}
