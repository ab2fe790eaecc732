import type { AppContext } from "../context";

/**
 * The routing headers of an answer (success or error): x-portkey-retry-attempt-count always,
 * x-portkey-last-used-option-index with a config. Also recorded on the outcome for the logger.
 */
export function routingHeaders(
  c: AppContext,
  hasConfig: boolean,
  path: string,
  retries: number,
): Record<string, string> {
  const { outcome } = c.var;
  outcome.route.retryAttemptCount = retries;
  outcome.route.lastUsedOptionIndex = path;
  const headers: Record<string, string> = { "x-portkey-retry-attempt-count": String(retries) };
  if (hasConfig) headers["x-portkey-last-used-option-index"] = path;
  return headers;
}

/** The respond step: the answer with its routing headers (trace id, provider and Server-Timing come from middleware). */
export function respond(
  c: AppContext,
  answer: { response: Response; path: string; retries: number },
  hasConfig: boolean,
): Response {
  for (const [name, value] of Object.entries(routingHeaders(c, hasConfig, answer.path, answer.retries))) {
    answer.response.headers.set(name, value);
  }
  return answer.response;
}
