import type { ClassifierUsage } from "../context";
import { costFor, type EventCost } from "./cost";
import type { LogEvent } from "./event";
import { NO_TOKENS } from "./tokens";

/**
 * What the guardrails add to a request's log event and row: the cost of its moderation classifier calls, and
 * whether a hook flagged it (failed without denying).
 */

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * USD of the request's classifier calls from the price table; null when none ran, or when one used a model the
 * table does not know (unknown is not free: the sum would look cheaper than it was).
 */
export function classifierCostOf(usage: readonly ClassifierUsage[] | undefined): number | null {
  if (!usage || usage.length === 0) return null;
  let usd = 0;
  for (const call of usage) {
    const tokens = {
      ...NO_TOKENS,
      prompt: call.promptTokens,
      completion: call.completionTokens,
      total: call.promptTokens + call.completionTokens,
    };
    const cost = costFor(call.provider, [call.model], tokens);
    if (cost.usd === null) return null;
    usd += cost.usd;
  }
  return usd;
}

/**
 * The request's total cost: the provider call(s) plus the classifier calls. An unpriced request stays unpriced
 * (usd null): its classifier cost is still in guardrail_cost_usd.
 */
export function withClassifierCost(cost: EventCost, classifierUsd: number | null): EventCost {
  if (cost.usd === null || classifierUsd === null || classifierUsd === 0) return cost;
  return { ...cost, usd: cost.usd + classifierUsd };
}

/** A hook failed without denying: a 246, or an async hook (which never denies) that failed. */
export function flaggedBy(hookResults: LogEvent["hook_results"]): boolean {
  if (hookResults === null) return false;
  const hooks = [...hookResults.before_request_hooks, ...hookResults.after_request_hooks];
  return hooks.some((hook) => isRecord(hook) && hook.verdict === false && (hook.deny !== true || hook.async === true));
}
