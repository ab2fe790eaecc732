import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { HookResults } from "../../guardrails/types";
import type { ErrorBody } from "../../schema/openai-response";
import type { RequestOutcome } from "../context";
import { GatewayError } from "../errors";
import { guardrailsOf } from "./guardrail-state";

/** Portkey's status for a request or an answer a guardrail with `deny: true` refused. */
export const HOOKS_FAILED_STATUS = 446;
/** Portkey's status for an answer served although a guardrail (without deny) failed. */
export const HOOKS_FLAGGED_STATUS = 246;

/**
 * The 446 answer: the OpenAI error envelope (type `hooks_failed`) plus Portkey's `hook_results`, so clients that
 * read either format understand it. The routing engine treats it as any other status (fallback, retry).
 */
export class HooksFailedError extends GatewayError {
  constructor(
    message: string,
    readonly hookResults: HookResults,
    headers: Record<string, string> = {},
  ) {
    // 446 is Portkey's own status, unknown to hono's list of statuses.
    super(HOOKS_FAILED_STATUS as ContentfulStatusCode, message, { type: "hooks_failed", code: null, headers });
  }

  /** hook_results at the top (Portkey's place) and inside `error` (the OpenAI SDKs keep only `error` on an APIError). */
  override toBody(): ErrorBody & { hook_results: HookResults } {
    const { error } = super.toBody();
    return {
      error: { ...error, hook_results: this.hookResults } as ErrorBody["error"],
      hook_results: this.hookResults,
    };
  }
}

/**
 * Routing wraps the errors it rethrows (routing headers, the summary of several targets): give a wrapped 446 its
 * hook results back, keeping the wrapper's message and headers.
 */
export function withHookResults(error: GatewayError, outcome: RequestOutcome): GatewayError {
  const results = guardrailsOf(outcome)?.results;
  if (error instanceof HooksFailedError || error.type !== "hooks_failed" || !results) return error;
  return new HooksFailedError(error.message, results, error.extraHeaders);
}

/** The error event a denied stream ends with, as JSON (the SSE frame around it is the stream's business). */
export function hooksFailedEvent(message: string, results: HookResults): string {
  return JSON.stringify(new HooksFailedError(message, results).toBody());
}
