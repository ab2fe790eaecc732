import { describe, expect, it } from "vitest";
import type { RetryConfig } from "../../schema/config";
import {
  backoffDelay,
  decideRetry,
  DEFAULT_RETRY_STATUS_CODES,
  parseRetryAfter,
  RETRY_BACKOFF_BASE_MS,
  RETRY_BACKOFF_CAP_MS,
} from "../../src/routing/backoff";
import { seededRandom } from "../../src/routing/select";

const almostOne = () => 0.999999;
const zero = () => 0;

describe("backoff with full jitter", () => {
  it("stays within [0, min(cap, base * 2^(n-1))) for every retry", () => {
    for (let retry = 1; retry <= 10; retry++) {
      const ceiling = Math.min(RETRY_BACKOFF_CAP_MS, RETRY_BACKOFF_BASE_MS * 2 ** (retry - 1));
      expect(backoffDelay(retry, zero)).toBe(0);
      expect(backoffDelay(retry, almostOne)).toBe(Math.floor(0.999999 * ceiling));
      expect(backoffDelay(retry, almostOne)).toBeLessThan(ceiling);
      const random = seededRandom(retry);
      for (let i = 0; i < 200; i++) {
        const delay = backoffDelay(retry, random);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(ceiling);
      }
    }
  });

  it("doubles the ceiling per retry until the cap", () => {
    expect(backoffDelay(1, almostOne)).toBeLessThan(250);
    expect(backoffDelay(2, almostOne)).toBeGreaterThan(490);
    expect(backoffDelay(3, almostOne)).toBeGreaterThan(990);
    expect(backoffDelay(9, almostOne)).toBeLessThan(RETRY_BACKOFF_CAP_MS);
    expect(backoffDelay(9, almostOne)).toBeGreaterThan(RETRY_BACKOFF_CAP_MS - 10);
  });

  it("is jittered: a seeded run spreads over the range", () => {
    const random = seededRandom(11);
    const delays = Array.from({ length: 1_000 }, () => backoffDelay(4, random));
    const mean = delays.reduce((a, b) => a + b, 0) / delays.length;
    expect(mean).toBeGreaterThan(900);
    expect(mean).toBeLessThan(1_100);
  });
});

describe("Retry-After", () => {
  const now = Date.UTC(2026, 0, 1, 12, 0, 0);

  it("reads delta-seconds", () => {
    expect(parseRetryAfter({ retryAfter: "7" }, now)).toBe(7_000);
    expect(parseRetryAfter({ retryAfter: " 0 " }, now)).toBe(0);
    expect(parseRetryAfter({ retryAfter: "1.5" }, now)).toBe(1_500);
  });

  it("reads an HTTP date, relative to now, never negative", () => {
    expect(parseRetryAfter({ retryAfter: "Thu, 01 Jan 2026 12:00:30 GMT" }, now)).toBe(30_000);
    expect(parseRetryAfter({ retryAfter: "Thu, 01 Jan 2026 11:59:00 GMT" }, now)).toBe(0);
  });

  it("prefers retry-after-ms", () => {
    expect(parseRetryAfter({ retryAfterMs: "250", retryAfter: "30" }, now)).toBe(250);
    expect(parseRetryAfter({ retryAfterMs: "12.2" }, now)).toBe(13);
  });

  it("ignores what it cannot read", () => {
    expect(parseRetryAfter({}, now)).toBeNull();
    expect(parseRetryAfter({ retryAfter: "soon" }, now)).toBeNull();
    expect(parseRetryAfter({ retryAfter: "-5" }, now)).toBeNull();
    expect(parseRetryAfter({ retryAfterMs: "abc" }, now)).toBeNull();
    expect(parseRetryAfter({ retryAfterMs: "abc", retryAfter: "2" }, now)).toBe(2_000);
  });
});

describe("retry decisions", () => {
  const policy: RetryConfig = { attempts: 3 };
  const failure = (status: number, extra: { network?: boolean; retryAfterMs?: number | null } = {}) => ({
    status,
    network: extra.network ?? false,
    retryAfterMs: extra.retryAfterMs ?? null,
  });

  it("retries the default codes and network errors, nothing else", () => {
    expect(DEFAULT_RETRY_STATUS_CODES).toEqual([429, 500, 502, 503, 504]);
    for (const status of DEFAULT_RETRY_STATUS_CODES)
      expect(decideRetry(failure(status), policy, 0, 60_000, zero).retry).toBe(true);
    for (const status of [400, 401, 403, 404, 408, 422, 501]) {
      expect(decideRetry(failure(status), policy, 0, 60_000, zero)).toEqual({ retry: false, reason: "not_retryable" });
    }
    expect(
      decideRetry(failure(502, { network: true }), { attempts: 1, on_status_codes: [429] }, 0, 60_000, zero).retry,
    ).toBe(true);
    expect(decideRetry(failure(500), { attempts: 1, on_status_codes: [429] }, 0, 60_000, zero).retry).toBe(false);
  });

  it("stops after `attempts` retries, and does nothing without a policy", () => {
    expect(decideRetry(failure(500), policy, 2, 60_000, zero).retry).toBe(true);
    expect(decideRetry(failure(500), policy, 3, 60_000, zero)).toEqual({ retry: false, reason: "attempts_exhausted" });
    expect(decideRetry(failure(500), undefined, 0, 60_000, zero)).toEqual({ retry: false, reason: "no_retry_config" });
    expect(decideRetry(failure(500), { attempts: 0 }, 0, 60_000, zero)).toEqual({
      retry: false,
      reason: "no_retry_config",
    });
  });

  it("waits Retry-After only when use_retry_after_header is set", () => {
    const limited = failure(429, { retryAfterMs: 5_000 });
    expect(decideRetry(limited, { attempts: 1, use_retry_after_header: true }, 0, 60_000, almostOne)).toEqual({
      retry: true,
      delayMs: 5_000,
    });
    const jittered = decideRetry(limited, { attempts: 1 }, 0, 60_000, almostOne);
    expect(jittered.retry && jittered.delayMs).toBe(backoffDelay(1, almostOne));
  });

  it("uses backoff when the header is wanted but absent", () => {
    const decision = decideRetry(failure(503), { attempts: 2, use_retry_after_header: true }, 1, 60_000, almostOne);
    expect(decision).toEqual({ retry: true, delayMs: backoffDelay(2, almostOne) });
  });

  it("moves on instead of sleeping past the deadline", () => {
    const limited = failure(429, { retryAfterMs: 30_000 });
    expect(decideRetry(limited, { attempts: 3, use_retry_after_header: true }, 0, 29_999, zero)).toEqual({
      retry: false,
      reason: "deadline",
    });
    expect(decideRetry(limited, { attempts: 3, use_retry_after_header: true }, 0, 30_001, zero).retry).toBe(true);
    expect(decideRetry(failure(500), policy, 2, 100, almostOne)).toEqual({ retry: false, reason: "deadline" });
  });
});
