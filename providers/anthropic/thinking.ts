import type { ChatCompletionRequest } from "../../schema/openai-request";
import { UnsupportedParameterError } from "../types";
import type { ThinkingParam } from "./request-types";

/** Anthropic requires max_tokens; OpenAI does not. Used when the client sends neither limit. */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

/** Anthropic's smallest thinking budget. */
export const MIN_THINKING_BUDGET = 1024;

/**
 * reasoning_effort -> extended thinking budget. "minimal" means (almost) no reasoning in OpenAI's terms, so it
 * leaves thinking off; low / medium / high get 1024 / 4096 / 16384 tokens of thinking.
 */
export const THINKING_BUDGETS = { low: 1024, medium: 4096, high: 16384 } as const;

export interface TokenSettings {
  max_tokens: number;
  thinking?: ThinkingParam;
}

/**
 * max_completion_tokens (or the older max_tokens) -> max_tokens, defaulting to ANTHROPIC_DEFAULT_MAX_TOKENS.
 *
 * Thinking tokens count towards max_tokens on Anthropic, as reasoning tokens count towards
 * max_completion_tokens on OpenAI, and Anthropic requires max_tokens > budget_tokens. So:
 * - no limit given: max_tokens = budget + the default, leaving the default for the visible answer;
 * - a limit given: it stays the hard cap and the budget shrinks to fit under it; a cap too small for the
 *   minimum budget is refused rather than silently raised.
 */
export function resolveTokenSettings(body: ChatCompletionRequest): TokenSettings {
  const limit = body.max_completion_tokens ?? body.max_tokens ?? undefined;
  const effort = body.reasoning_effort;
  if (effort == null || effort === "minimal") return { max_tokens: limit ?? ANTHROPIC_DEFAULT_MAX_TOKENS };
  const wanted = THINKING_BUDGETS[effort];
  if (limit === undefined) {
    return { max_tokens: wanted + ANTHROPIC_DEFAULT_MAX_TOKENS, thinking: { type: "enabled", budget_tokens: wanted } };
  }
  const budget = Math.min(wanted, limit - 1);
  if (budget < MIN_THINKING_BUDGET) {
    const param = body.max_completion_tokens != null ? "max_completion_tokens" : "max_tokens";
    throw new UnsupportedParameterError(
      param,
      `${param} must be greater than ${MIN_THINKING_BUDGET} when reasoning_effort is set: Anthropic's thinking budget counts towards it`,
    );
  }
  return { max_tokens: limit, thinking: { type: "enabled", budget_tokens: budget } };
}
