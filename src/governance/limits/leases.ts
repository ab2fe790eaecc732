import type { BudgetPeriod } from "../../../schema/db/keys";
import { limiterStub, RESERVATION_TTL_MS, type Subject } from "./client";
import { LocalLease, type Need } from "./lease";
import type { LeaseGrant } from "./lease-size";
import { toUsd, type Limits } from "./ledger";

/**
 * This isolate's leases, one current lease per gateway key or virtual key (lease.ts explains what a lease is).
 *
 * - A request that fits in the current lease is admitted with no round trip; when the lease runs low, a new one is
 *   asked for in the background (waitUntil), so busy keys never wait on their limiter.
 * - Otherwise the request asks the limiter itself, and asks for a lease at the same time (ledger.ts `admit`).
 * - A lease admits for LEASE_WINDOW_MS at most; once it admits no more and its last request is over, its usage is
 *   reported to the limiter (one settle call for all its requests), which releases what was not used.
 *
 * Stubs are made from the env of the request doing the I/O: Workers forbid I/O objects across requests.
 */
export const LEASE_WINDOW_MS = 1_000;
/** Past this many keys the oldest holder is forgotten (its lease still closes: tickets and a timer hold it). */
const MAX_HOLDERS = 2_000;

export interface LeaseContext {
  env: Env;
  waitUntil: (promise: Promise<unknown>) => void;
}

/** What one request reserves, and the USD figure the limiter sizes leases from. */
export interface RequestNeed extends Need {
  costUsd: number;
}

interface Holder {
  current: LocalLease | null;
  renewing: boolean;
}

const holders = new Map<string, Holder>();

const subjectKey = (subject: Pick<Subject, "kind" | "id">): string => `${subject.kind}:${subject.id}`;
export const limitsKey = (limits: Limits): string => `${limits.rpm}|${limits.tpm}|${limits.budgetUsd}|${limits.period}`;

function holderOf(subject: Subject): Holder {
  const key = subjectKey(subject);
  let holder = holders.get(key);
  if (!holder) {
    holder = { current: null, renewing: false };
    holders.set(key, holder);
    if (holders.size > MAX_HOLDERS) holders.delete(holders.keys().next().value ?? key);
  }
  return holder;
}

/** Report a lease's usage once it admits no more and its last request is over. */
function closeIfDone(ctx: LeaseContext, subject: Subject, lease: LocalLease, period: BudgetPeriod): void {
  if (!lease.closeAt(Date.now())) return;
  const holder = holders.get(subjectKey(subject));
  if (holder?.current === lease) holder.current = null;
  const { used } = lease;
  const settlement = { id: lease.id, costUsd: toUsd(used.nano), tokens: used.tokens, requests: used.requests, period };
  ctx.waitUntil(
    limiterStub(ctx.env, subject)
      .settle(settlement)
      .catch((error: unknown) =>
        console.warn(
          "could not close a governance lease; the limiter's alarm releases it",
          error instanceof Error ? error.message : error,
        ),
      ),
  );
}

/** Make `grant` the subject's current lease (the previous one stops admitting) and close it when its window ends. */
export function installLease(
  ctx: LeaseContext,
  subject: Subject,
  limits: Limits,
  id: string,
  grant: LeaseGrant,
): LocalLease {
  const lease = new LocalLease(id, limitsKey(limits), grant);
  const holder = holderOf(subject);
  const previous = holder.current;
  holder.current = lease;
  if (previous) {
    previous.retire();
    closeIfDone(ctx, subject, previous, limits.period);
  }
  // Timers in Workers may fire a little early by the (coarse) clock: the callback ends admission itself.
  const wait = Math.max(0, grant.admitUntil - Date.now());
  ctx.waitUntil(
    new Promise<void>((resolve) => setTimeout(resolve, wait)).then(() => {
      lease.retire();
      closeIfDone(ctx, subject, lease, limits.period);
    }),
  );
  return lease;
}

function renew(ctx: LeaseContext, subject: Subject, limits: Limits, holder: Holder, need: RequestNeed): void {
  holder.renewing = true;
  const id = crypto.randomUUID();
  const asked = limiterStub(ctx.env, subject).renew({
    id,
    limits,
    tokens: need.tokens,
    costUsd: need.costUsd,
    ttlMs: RESERVATION_TTL_MS,
    leaseWindowMs: LEASE_WINDOW_MS,
  });
  ctx.waitUntil(
    asked
      .then((grant) => {
        if (grant) installLease(ctx, subject, limits, id, grant);
      })
      .catch((error: unknown) =>
        console.warn("could not renew a governance lease", error instanceof Error ? error.message : error),
      )
      .finally(() => (holder.renewing = false)),
  );
}

/** Admit one request from the subject's lease in this isolate; null when there is none or it does not fit. */
export function takeLeased(ctx: LeaseContext, subject: Subject, limits: Limits, need: RequestNeed): LocalLease | null {
  const holder = holders.get(subjectKey(subject));
  const lease = holder?.current;
  if (!holder || !lease) return null;
  const now = Date.now();
  if (lease.limitsKey !== limitsKey(limits)) {
    // The key's limits changed: what was leased under the old ones is not used any more.
    holder.current = null;
    lease.retire();
    closeIfDone(ctx, subject, lease, limits.period);
    return null;
  }
  if (!lease.take(need, now)) return null;
  if (!holder.renewing && lease.runningLow(now, LEASE_WINDOW_MS)) renew(ctx, subject, limits, holder, need);
  return lease;
}

/** A leased request is over: record what it really used, and close the lease if it was the last one. */
export function returnLeased(
  ctx: LeaseContext,
  subject: Subject,
  lease: LocalLease,
  need: Need,
  actual: { tokens: number; nano: number; reached: boolean },
  period: BudgetPeriod,
): void {
  lease.give(need, actual);
  closeIfDone(ctx, subject, lease, period);
}
