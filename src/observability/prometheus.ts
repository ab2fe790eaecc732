import { LATENCY_BUCKETS_MS } from "../../schema/db";
import type { Counters } from "./counters";

/**
 * Prometheus text exposition (format 0.0.4) of the lifetime counters in metric_totals, labelled by provider,
 * model and gateway key. Counters live in D1, so every isolate serves the same, monotonic numbers.
 */
export interface LabelledCounters {
  provider: string;
  model: string;
  key: string;
  counters: Counters;
}

export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

const escapeLabel = (value: string): string =>
  value.replaceAll("\\", "\\\\").replaceAll("\n", "\\n").replaceAll('"', '\\"');

function labels(row: LabelledCounters, extra: Record<string, string> = {}): string {
  const all = { provider: row.provider, model: row.model, key: row.key, ...extra };
  return `{${Object.entries(all)
    .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
    .join(",")}}`;
}

/** Prometheus float formatting: integers as they are, others with full precision. */
const num = (value: number): string => (Number.isFinite(value) ? String(value) : value > 0 ? "+Inf" : "NaN");

type Family = { name: string; help: string; type: "counter" | "histogram"; lines: (row: LabelledCounters) => string[] };

const TOKEN_TYPES: Array<[string, (c: Counters) => number]> = [
  ["prompt", (c) => c.promptTokens],
  ["completion", (c) => c.completionTokens],
  ["cached_read", (c) => c.cachedTokens],
  ["cache_write", (c) => c.cacheWriteTokens],
  ["reasoning", (c) => c.reasoningTokens],
];

const counter = (name: string, help: string, value: (c: Counters) => number): Family => ({
  name,
  help,
  type: "counter",
  lines: (row) => [`${name}${labels(row)} ${num(value(row.counters))}`],
});

const FAMILIES: Family[] = [
  counter("ai_gateway_requests_total", "Requests handled, by provider, model and gateway key.", (c) => c.requests),
  counter("ai_gateway_errors_total", "Requests that failed (status >= 400 or a broken stream).", (c) => c.errors),
  {
    name: "ai_gateway_tokens_total",
    help: "Tokens providers processed, by type (prompt includes cached_read and cache_write; completion includes reasoning; cache hits are not counted).",
    type: "counter",
    lines: (row) =>
      TOKEN_TYPES.map(([type, value]) => `ai_gateway_tokens_total${labels(row, { type })} ${num(value(row.counters))}`),
  },
  counter("ai_gateway_cost_usd_total", "List-price cost in USD of priced requests.", (c) => c.costUsd),
  counter(
    "ai_gateway_unpriced_requests_total",
    "Requests whose model has no list price (not in cost_usd).",
    (c) => c.unpriced,
  ),
  counter("ai_gateway_cache_hits_total", "Requests answered from the cache (exact or semantic).", (c) => c.cacheHits),
  counter(
    "ai_gateway_cache_saved_usd_total",
    "List-price cost in USD that cache hits did not spend.",
    (c) => c.cacheSavedUsd,
  ),
  {
    // The rollups' guardrail counters (migration 0013): 446 answers and flagged requests (246, or a failed async hook).
    name: "ai_gateway_guardrail_requests_total",
    help: "Requests a guardrail denied (446) or flagged (a failed hook without deny), by outcome.",
    type: "counter",
    lines: (row) => [
      `ai_gateway_guardrail_requests_total${labels(row, { outcome: "denied" })} ${num(row.counters.guardrailDenied)}`,
      `ai_gateway_guardrail_requests_total${labels(row, { outcome: "flagged" })} ${num(row.counters.guardrailFlagged)}`,
    ],
  },
  {
    name: "ai_gateway_request_duration_seconds",
    help: "Request latency, arrival to last byte.",
    type: "histogram",
    lines: (row) => {
      const name = "ai_gateway_request_duration_seconds";
      let cumulative = 0;
      const out = LATENCY_BUCKETS_MS.map((bound, i) => {
        cumulative += row.counters.buckets[i] ?? 0;
        return `${name}_bucket${labels(row, { le: num(bound / 1000) })} ${cumulative}`;
      });
      out.push(`${name}_bucket${labels(row, { le: "+Inf" })} ${row.counters.requests}`);
      out.push(`${name}_sum${labels(row)} ${num(row.counters.latencySumMs / 1000)}`);
      out.push(`${name}_count${labels(row)} ${row.counters.requests}`);
      return out;
    },
  },
];

export function renderPrometheus(rows: readonly LabelledCounters[]): string {
  const out: string[] = [];
  for (const family of FAMILIES) {
    out.push(`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} ${family.type}`);
    for (const row of rows) out.push(...family.lines(row));
  }
  return `${out.join("\n")}\n`;
}
