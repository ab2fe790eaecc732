import { describe, expect, it } from "vitest";
import { RoutingStop } from "../../src/routing/trail";
import { denialError, formatUsd } from "../../src/governance/denial";
import type { Subject } from "../../src/governance/limits/client";

const key: Subject = { kind: "gateway_key", id: "k1", label: "team-a" };
const vk: Subject = { kind: "virtual_key", id: "v1", label: "openai-prod" };

describe("429 denials", () => {
  it("rate: names the limit and the wait, with Retry-After in seconds", () => {
    const error = denialError(
      key,
      { limit: "rpm", retryAfterMs: 12_300, limitValue: 60, used: 60, needed: 1 },
      "none",
      true,
    );
    expect(error).toBeInstanceOf(RoutingStop);
    expect(error.status).toBe(429);
    expect(error.code).toBe("rate_limit_exceeded");
    expect(error.message).toBe(
      'rate limit exceeded for gateway key "team-a": 60 requests per minute (60 in the last minute); retry in 13 s',
    );
    expect(error.extraHeaders).toEqual({ "retry-after": "13" });
  });

  it("a virtual key's denial is an ordinary error, so a fallback target can still serve the request", () => {
    const error = denialError(
      vk,
      { limit: "tpm", retryAfterMs: 5_000, limitValue: 1000, used: 900, needed: 200 },
      "none",
      false,
    );
    expect(error).not.toBeInstanceOf(RoutingStop);
    expect(error.message).toMatch(/^token rate limit exceeded for virtual key "openai-prod": 1000 tokens per minute/);
  });

  it("budget: says when it resets; long waits tell SDKs not to retry", () => {
    const resetsAt = Date.UTC(2026, 11, 1);
    const denial = {
      limit: "budget" as const,
      retryAfterMs: 86_400_000,
      limitValue: 5,
      used: 5,
      needed: 0.01,
      resetsAt,
      reason: "exhausted" as const,
    };
    const error = denialError(key, denial, "monthly", true);
    expect(error.code).toBe("budget_exceeded");
    expect(error.message).toBe(
      'budget exhausted for gateway key "team-a": $5.00 spent of a monthly budget of $5.00; the budget resets at 2026-12-01T00:00:00.000Z',
    );
    expect(error.extraHeaders).toEqual({ "retry-after": "86400", "x-should-retry": "false" });
  });

  it("a lifetime budget has no Retry-After: waiting cannot help", () => {
    const denial = {
      limit: "budget" as const,
      retryAfterMs: null,
      limitValue: 1,
      used: 1,
      needed: 0.2,
      resetsAt: null,
      reason: "exhausted" as const,
    };
    const error = denialError(key, denial, "none", true);
    expect(error.message).toMatch(/lifetime budget of \$1\.00; the budget does not reset/);
    expect(error.extraHeaders).toEqual({ "x-should-retry": "false" });
  });

  it("formats small amounts readably", () => {
    expect(formatUsd(0.000123456)).toBe("$0.000123");
    expect(formatUsd(12.5)).toBe("$12.50");
    expect(formatUsd(0)).toBe("$0");
  });
});
