import { costFor } from "../observability/cost";
import { NO_TOKENS, reportedTokens } from "../observability/tokens";
import type { PlaygroundRunResult } from "../pipeline/playground-run";

/** What the comparison shows of one run: the answer (or the error), tokens, cost, latency, and where its log is. */
export interface RunSummary {
  status: number;
  version: number | null;
  answer: string;
  error: string | null;
  promptTokens: number;
  completionTokens: number;
  /** null when the model has no price (never shown as $0). */
  costUsd: number | null;
  latencyMs: number;
  traceId: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;

function answerText(body: unknown): string {
  if (!isRecord(body) || !Array.isArray(body.choices)) return "";
  const first: unknown = body.choices[0];
  const message = isRecord(first) && isRecord(first.message) ? first.message : null;
  return typeof message?.content === "string" ? message.content : "";
}

function errorText(status: number, body: unknown): string | null {
  if (status < 400) return null;
  const error = isRecord(body) && isRecord(body.error) ? body.error : null;
  return typeof error?.message === "string" ? error.message : `HTTP ${status}`;
}

/**
 * Tokens and cost priced as the log row prices them (observability's costFor over the reported usage, nothing for
 * a cache hit), so the page and the log agree.
 */
export function summarizeRun(run: PlaygroundRunResult): RunSummary {
  const { outcome } = run;
  const tokens = outcome.answer.usage ? reportedTokens(outcome.answer.usage) : NO_TOKENS;
  const cacheHit = outcome.cache.status === "HIT" || outcome.cache.status === "SEMANTIC HIT";
  const provider = outcome.route.provider ?? null;
  const cost = cacheHit
    ? 0
    : costFor(provider, [outcome.route.servedModel ?? null, outcome.route.requestedModel ?? null], tokens).usd;
  return {
    status: run.status,
    version: outcome.prompt?.version ?? null,
    answer: answerText(run.body),
    error: errorText(run.status, run.body),
    promptTokens: tokens.prompt,
    completionTokens: tokens.completion,
    costUsd: cost,
    latencyMs: run.latencyMs,
    traceId: run.traceId,
  };
}
