import { limiterStub, type SubjectKind } from "./limits/client";
import type { Limits } from "./limits/ledger";
import { hasLimits } from "./records";

/**
 * GET .../usage: what a key's limiter holds now. Keys without any limit are never sent to a limiter (it would cost
 * every request a round trip for nothing), so their counters stay at zero: `tracked` says so. Spend history for
 * every key is in the request logs and analytics.
 */
export async function presentUsage(env: Env, kind: SubjectKind, id: string, limits: Limits) {
  const usage = await limiterStub(env, { kind, id }).usage(limits);
  return {
    object: `${kind}.usage` as const,
    id,
    tracked: hasLimits(limits),
    window_seconds: 60,
    rpm: { limit: limits.rpm, used: usage.requests },
    tpm: { limit: limits.tpm, used: usage.tokens },
    budget: {
      limit_usd: limits.budgetUsd,
      period: limits.period,
      period_key: usage.period,
      spent_usd: usage.spentUsd,
      reserved_usd: usage.reservedUsd,
      in_flight: usage.inFlight,
      resets_at: usage.resetsAt === null ? null : new Date(usage.resetsAt).toISOString(),
    },
  };
}
