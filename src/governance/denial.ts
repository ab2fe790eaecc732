import type { GatewayError } from "../errors";
import { RoutingStop, TargetRefused } from "../routing/trail";
import type { BudgetPeriod } from "../../schema/db/keys";
import { describeSubject, type Subject } from "./limits/client";
import type { Denial } from "./limits/ledger";

/**
 * A limiter's refusal as the client sees it: 429, a message naming the limit and when it resets, and Retry-After.
 * When waiting cannot help (a lifetime budget is spent, a request is bigger than the limit) there is no Retry-After
 * and `x-should-retry: false` tells OpenAI SDKs not to retry; waits over a minute say the same, since those SDKs
 * would otherwise retry within seconds.
 */
const SDK_MAX_WAIT_MS = 60_000;

export function formatUsd(usd: number): string {
  if (usd === 0) return "$0";
  return usd >= 1 ? `$${usd.toFixed(2)}` : `$${Number(usd.toPrecision(3))}`;
}

function inSeconds(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7_200) return `${Math.ceil(seconds / 60)} min`;
  return `${Math.ceil(seconds / 3_600)} h`;
}

const PERIOD_TEXT: Record<BudgetPeriod, string> = {
  none: "lifetime",
  daily: "daily",
  weekly: "weekly",
  monthly: "monthly",
};

function budgetMessage(who: string, denial: Denial, period: BudgetPeriod): string {
  const budget = `${PERIOD_TEXT[period]} budget of ${formatUsd(denial.limitValue)}`;
  const resets = denial.resetsAt
    ? `resets at ${new Date(denial.resetsAt).toISOString()}`
    : "does not reset (raise budget_usd with the admin API)";
  switch (denial.reason) {
    case "too_large":
      return `budget: this request could cost up to ${formatUsd(denial.needed)}, more than the whole ${budget} of ${who}`;
    case "in_flight":
      return `budget of ${who} is fully reserved: ${formatUsd(denial.used)} spent and ${formatUsd(denial.reservedUsd ?? 0)} held by requests in flight, of a ${budget}; this request needs up to ${formatUsd(denial.needed)}`;
    default:
      return `budget exhausted for ${who}: ${formatUsd(denial.used)} spent of a ${budget}; the budget ${resets}`;
  }
}

function message(who: string, denial: Denial, period: BudgetPeriod): string {
  const retry = denial.retryAfterMs === null ? "" : `; retry in ${inSeconds(denial.retryAfterMs)}`;
  switch (denial.limit) {
    case "rpm":
      return `rate limit exceeded for ${who}: ${denial.limitValue} requests per minute (${denial.used} in the last minute)${retry}`;
    case "tpm":
      if (denial.retryAfterMs === null) {
        return `token rate limit: this request needs about ${denial.needed} tokens, more than the ${denial.limitValue} tokens per minute of ${who}`;
      }
      return `token rate limit exceeded for ${who}: ${denial.limitValue} tokens per minute (${denial.used} used in the last minute, this request needs about ${denial.needed})${retry}`;
    case "budget":
      return budgetMessage(who, denial, period) + (denial.reason === "in_flight" ? retry : "");
  }
}

/**
 * `stop`: the gateway key's own limit ends routing (no fallback or retry can help); a virtual key's ends only its
 * target (no retry, no circuit-breaker report), so a fallback can try another.
 */
export function denialError(subject: Subject, denial: Denial, period: BudgetPeriod, stop: boolean): GatewayError {
  const headers: Record<string, string> = {};
  if (denial.retryAfterMs !== null) headers["retry-after"] = String(Math.max(1, Math.ceil(denial.retryAfterMs / 1000)));
  if (denial.retryAfterMs === null || denial.retryAfterMs > SDK_MAX_WAIT_MS) headers["x-should-retry"] = "false";
  const options = { code: denial.limit === "budget" ? "budget_exceeded" : "rate_limit_exceeded", headers };
  const text = message(describeSubject(subject), denial, period);
  return stop ? new RoutingStop(429, text, options) : new TargetRefused(429, text, options);
}
