import type { RetryConfig } from "../../schema/config";
import type { Random } from "./select";

/**
 * Retry timing. Full jitter (a uniform wait in [0, min(cap, base * 2^n))) spreads the retries of many clients that
 * failed together, which plain exponential backoff would synchronise into waves.
 * Base 250 ms and cap 8 s: the 1st retry waits < 250 ms, the 5th (the most a config allows) < 4 s.
 */
export const RETRY_BACKOFF_BASE_MS = 250;
export const RETRY_BACKOFF_CAP_MS = 8_000;

/** Retried when `retry.on_status_codes` is not given. Network errors are retried whatever the list says. */
export const DEFAULT_RETRY_STATUS_CODES: readonly number[] = [429, 500, 502, 503, 504];

/** Wait before retry number `retry` (1 for the first retry). */
export function backoffDelay(retry: number, random: Random): number {
  const ceiling = Math.min(RETRY_BACKOFF_CAP_MS, RETRY_BACKOFF_BASE_MS * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

export interface RetryAfterHeaders {
  retryAfter?: string | null;
  retryAfterMs?: string | null;
}

/**
 * The wait a provider asked for, in ms, or null when it did not say (or said something unreadable).
 * `retry-after-ms` (OpenAI, Azure) wins over `retry-after`, which is either delta-seconds or an HTTP date.
 */
export function parseRetryAfter(headers: RetryAfterHeaders, nowMs: number): number | null {
  const ms = headers.retryAfterMs?.trim();
  if (ms && /^\d+(\.\d+)?$/.test(ms)) return Math.ceil(Number(ms));
  const value = headers.retryAfter?.trim();
  if (!value) return null;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  // All three HTTP date formats start with the day's name; Date.parse alone would accept "-5" as a year.
  const date = /^[A-Za-z]/.test(value) ? Date.parse(value) : NaN;
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
}

export interface FailedAttempt {
  status: number;
  /** The upstream could not be reached at all. */
  network: boolean;
  /** From the failed response, when the provider sent one. */
  retryAfterMs: number | null;
}

export type RetryDecision =
  | { retry: true; delayMs: number }
  | { retry: false; reason: "no_retry_config" | "not_retryable" | "attempts_exhausted" | "deadline" };

/**
 * Whether to retry the same target after `retriesDone` retries, and after how long. A wait that would not fit in
 * the remaining deadline is not slept: the caller moves on to the next target instead.
 */
export function decideRetry(
  failure: FailedAttempt,
  policy: RetryConfig | undefined,
  retriesDone: number,
  remainingMs: number,
  random: Random,
): RetryDecision {
  if (!policy || policy.attempts === 0) return { retry: false, reason: "no_retry_config" };
  const codes = policy.on_status_codes ?? DEFAULT_RETRY_STATUS_CODES;
  if (!failure.network && !codes.includes(failure.status)) return { retry: false, reason: "not_retryable" };
  if (retriesDone >= policy.attempts) return { retry: false, reason: "attempts_exhausted" };
  const delayMs =
    policy.use_retry_after_header && failure.retryAfterMs !== null
      ? failure.retryAfterMs
      : backoffDelay(retriesDone + 1, random);
  if (delayMs >= remainingMs) return { retry: false, reason: "deadline" };
  return { retry: true, delayMs };
}
