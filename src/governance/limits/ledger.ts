import type { BudgetPeriod } from "../../../schema/db/keys";
import type { Amount, Headroom } from "./amount";
import { leaseSize, type LeaseGrant } from "./lease-size";
import { periodAt } from "./period";
export type { Amount, Headroom } from "./amount";
import { add, bucketOf, leavesAt, prune, totals, waitFor, type Window } from "./window";

/**
 * The state one limiter Durable Object keeps for one gateway key or virtual key, and every decision on it. Pure:
 * the clock is an argument and each function returns a new state, so the rules are unit-tested with an injected
 * clock and the object (durable-object.ts) only loads, calls, and stores.
 *
 * Money is counted in integer nano-dollars: 10 requests of $0.0001 must add up to exactly $0.001, or a budget sized
 * for 10 of them would admit 9 (float sums drift).
 */
export const NANO_PER_USD = 1_000_000_000;
/** Reservations round up, so a reservation never undershoots the worst case it stands for. */
export const reserveNano = (usd: number): number =>
  Math.max(0, Math.ceil(Number((usd * NANO_PER_USD).toPrecision(12))));
export const toNano = (usd: number): number => Math.max(0, Math.round(usd * NANO_PER_USD));
export const toUsd = (nano: number): number => nano / NANO_PER_USD;

export interface Limits {
  rpm: number | null;
  tpm: number | null;
  budgetUsd: number | null;
  period: BudgetPeriod;
  /**
   * When the key's limits were last changed (its row's updated_at, ms). Isolates cache key records for a few
   * seconds, so calls may carry older limits than the last one seen: the newest version wins (absent: 0).
   */
  version?: number;
}

export interface Reservation {
  nano: number;
  tokens: number;
  /** Requests counted in the window: 1 for one request, the lease's size for a lease (lease.ts). */
  requests: number;
  /** The window bucket the admission was counted in (settlement corrects its counts there). */
  bucket: number;
  expiresAt: number;
}

export interface LedgerState {
  window: Window;
  /** The budget period the spend belongs to (period.ts). */
  periodKey: string;
  spentNano: number;
  reservations: Readonly<Record<string, Reservation>>;
  /** The newest limits any call carried: a call from an isolate with a stale key record is judged by these. */
  limits?: Limits;
}

export const EMPTY_LEDGER: LedgerState = { window: [], periodKey: "none", spentNano: 0, reservations: {} };

export interface AdmitInput {
  /** Chosen by the caller, so it can settle without waiting for the answer. */
  id: string;
  limits: Limits;
  /** Estimated prompt tokens plus the output allowance (counted against tpm until settled). */
  tokens: number;
  /** Worst-case cost in USD (reserved against the budget until settled). */
  costUsd: number;
  /** How long the reservation holds if it is never settled. */
  ttlMs: number;
  /**
   * Ask for a lease (lease.ts): when the key is far from every limit, reserve room for several requests like this
   * one at once, this one included, so the isolate admits the next ones without a round trip.
   */
  leaseWindowMs?: number;
}

export type LimitName = "rpm" | "tpm" | "budget";

export interface Denial {
  limit: LimitName;
  /** When a retry can succeed, in ms; null when waiting cannot help (lifetime budget spent, request over the limit). */
  retryAfterMs: number | null;
  /** rpm, tpm, or the budget in USD. */
  limitValue: number;
  /** Requests or tokens in the window, or USD spent this period. */
  used: number;
  /** Requests: 1; tokens: the estimate; budget: the worst-case cost in USD. */
  needed: number;
  /** Budget: USD held by requests in flight. */
  reservedUsd?: number;
  /** Budget: when the period resets (null for a lifetime budget). */
  resetsAt?: number | null;
  /** Budget: spent for the period, only reserved by requests in flight, or more than the whole budget. */
  reason?: "exhausted" | "in_flight" | "too_large";
}

export type AdmitResult = { ok: true; lease?: LeaseGrant } | { ok: false; denial: Denial };

/** A budget denied only by reservations clears as requests in flight settle: retry soon. */
export const IN_FLIGHT_RETRY_MS = 1_000;

const reservedNano = (state: LedgerState): number =>
  Object.values(state.reservations).reduce((sum, r) => sum + r.nano, 0);

/** Drop reservations past their expiry: their requests died unsettled. Their tokens stay counted in the window. */
export function expire(state: LedgerState, now: number): LedgerState {
  const live = Object.entries(state.reservations).filter(([, r]) => r.expiresAt > now);
  if (live.length === Object.keys(state.reservations).length) return state;
  return { ...state, reservations: Object.fromEntries(live) };
}

/** The limits that apply: those of the call, unless the ledger has seen newer ones (and then it keeps those). */
export function currentLimits(state: LedgerState, limits: Limits): Limits {
  const known = state.limits;
  return known && (known.version ?? 0) > (limits.version ?? 0) ? known : limits;
}

/**
 * Bring the state to `now` under `limits` (as given by currentLimits): old buckets out, expired reservations
 * released, a new budget period started (a new period kind, after an admin change, starts a new count too).
 */
export function refresh(previous: LedgerState, limits: Limits, now: number): LedgerState {
  const state = previous.limits === limits ? previous : { ...previous, limits };
  const key = periodAt(limits.period, now).key;
  const rolled = key === state.periodKey ? state : { ...state, periodKey: key, spentNano: 0 };
  const window = prune(rolled.window, now);
  return expire(window === rolled.window ? rolled : { ...rolled, window }, now);
}

function checkBudget(state: LedgerState, input: AdmitInput, budgetUsd: number, now: number): Denial | null {
  const budget = toNano(budgetUsd);
  const cost = reserveNano(input.costUsd);
  const reserved = reservedNano(state);
  if (state.spentNano + reserved + cost <= budget) return null;
  const resetsAt = periodAt(state.limits?.period ?? input.limits.period, now).resetsAt;
  const base = {
    limit: "budget" as const,
    limitValue: budgetUsd,
    used: toUsd(state.spentNano),
    needed: toUsd(cost),
    reservedUsd: toUsd(reserved),
    resetsAt,
  };
  if (cost > budget) return { ...base, reason: "too_large", retryAfterMs: null };
  if (state.spentNano + cost <= budget) return { ...base, reason: "in_flight", retryAfterMs: IN_FLIGHT_RETRY_MS };
  return { ...base, reason: "exhausted", retryAfterMs: resetsAt === null ? null : resetsAt - now };
}

/** Admit a request (count it, reserve its tokens and worst-case cost) or say which limit refuses it. */
export function admit(
  previous: LedgerState,
  input: AdmitInput,
  now: number,
): { state: LedgerState; result: AdmitResult } {
  const limits = currentLimits(previous, input.limits);
  const state = refresh(previous, limits, now);
  const used = totals(state.window);
  if (limits.rpm !== null && used.requests + 1 > limits.rpm) {
    const retryAfterMs = waitFor(state.window, now, used.requests + 1 - limits.rpm, (b) => b.requests);
    return {
      state,
      result: {
        ok: false,
        denial: { limit: "rpm", retryAfterMs, limitValue: limits.rpm, used: used.requests, needed: 1 },
      },
    };
  }
  if (limits.tpm !== null && used.tokens + input.tokens > limits.tpm) {
    const retryAfterMs =
      input.tokens > limits.tpm
        ? null
        : waitFor(state.window, now, used.tokens + input.tokens - limits.tpm, (b) => b.tokens);
    return {
      state,
      result: {
        ok: false,
        denial: { limit: "tpm", retryAfterMs, limitValue: limits.tpm, used: used.tokens, needed: input.tokens },
      },
    };
  }
  if (limits.budgetUsd !== null) {
    const denial = checkBudget(state, input, limits.budgetUsd, now);
    if (denial) return { state, result: { ok: false, denial } };
  }
  const lease =
    input.leaseWindowMs === undefined
      ? null
      : leaseSize(headroom(state, limits), input.tokens, reserveNano(input.costUsd), now + input.leaseWindowMs);
  if (!lease)
    return {
      state: reserve(
        state,
        input.id,
        { requests: 1, tokens: input.tokens, nano: reserveNano(input.costUsd) },
        now,
        now + input.ttlMs,
      ),
      result: { ok: true },
    };
  return {
    state: reserve(state, input.id, lease.reserved, lease.grant.admitUntil, now + input.ttlMs),
    result: { ok: true, lease: lease.grant },
  };
}

/**
 * A lease for an isolate that already holds one running low: room for several more requests like the last one,
 * or null when the key is too close to a limit for leasing to be safe (requests then go one by one, exactly).
 */
export function renewLease(
  previous: LedgerState,
  input: Omit<AdmitInput, "leaseWindowMs"> & { leaseWindowMs: number },
  now: number,
) {
  const limits = currentLimits(previous, input.limits);
  const state = refresh(previous, limits, now);
  const lease = leaseSize(headroom(state, limits), input.tokens, reserveNano(input.costUsd), now + input.leaseWindowMs);
  if (!lease) return { state, lease: null };
  return {
    state: reserve(state, input.id, lease.reserved, lease.grant.admitUntil, now + input.ttlMs),
    lease: lease.grant,
  };
}

/** What is left under each limit (null: unlimited). */
function headroom(state: LedgerState, limits: Limits): Headroom {
  const used = totals(state.window);
  return {
    requests: limits.rpm === null ? null : limits.rpm - used.requests,
    tokens: limits.tpm === null ? null : limits.tpm - used.tokens,
    nano: limits.budgetUsd === null ? null : toNano(limits.budgetUsd) - state.spentNano - reservedNano(state),
  };
}

/** Count a reservation in the window (in the bucket starting at `bucketAt`) and hold it until settled or expired. */
function reserve(state: LedgerState, id: string, amount: Amount, bucketAt: number, expiresAt: number): LedgerState {
  const bucket = bucketOf(bucketAt);
  const reservation: Reservation = { ...amount, bucket, expiresAt };
  return {
    ...state,
    window: add(state.window, bucket, amount.requests, amount.tokens),
    reservations: { ...state.reservations, [id]: reservation },
  };
}

export interface Settlement {
  id: string;
  /** What the request (or every request of a lease) really cost (0 when no provider answered). */
  costUsd: number;
  /** Tokens really used (replaces the estimate in the window). */
  tokens: number;
  /**
   * Requests that count against rpm: those that reached a provider (0 or 1 for one request; for a lease, how many
   * of its requests it really served). Replaces the reserved count in the window.
   */
  requests: number;
  period: BudgetPeriod;
}

/**
 * Replace a reservation by what really happened. A settlement that arrives after its reservation expired still
 * records the cost: spend is never forgotten, only the hold on the budget is.
 */
export function settle(previous: LedgerState, settlement: Settlement, now: number): LedgerState {
  // Charged to the ledger's current period: a settlement from an isolate with a stale key record must not switch it.
  const state = refresh(
    previous,
    previous.limits ?? { rpm: null, tpm: null, budgetUsd: null, period: settlement.period },
    now,
  );
  const reservation = state.reservations[settlement.id];
  const spentNano = state.spentNano + toNano(settlement.costUsd);
  if (!reservation) return { ...state, spentNano };
  const { [settlement.id]: _settled, ...reservations } = state.reservations;
  const inWindow = leavesAt(reservation.bucket) > now;
  const window = inWindow
    ? add(
        state.window,
        reservation.bucket,
        settlement.requests - reservation.requests,
        Math.round(settlement.tokens) - reservation.tokens,
      )
    : state.window;
  return { ...state, window, spentNano, reservations };
}

/** When the next reservation expires, for the object's alarm. */
export function nextExpiry(state: LedgerState): number | null {
  const times = Object.values(state.reservations).map((r) => r.expiresAt);
  return times.length === 0 ? null : Math.min(...times);
}

export interface UsageSnapshot {
  requests: number;
  tokens: number;
  spentUsd: number;
  reservedUsd: number;
  inFlight: number;
  period: string;
  resetsAt: number | null;
}

export function snapshot(state: LedgerState, limits: Limits, now: number): UsageSnapshot {
  const current = refresh(state, currentLimits(state, limits), now);
  const used = totals(current.window);
  return {
    requests: used.requests,
    tokens: used.tokens,
    spentUsd: toUsd(current.spentNano),
    reservedUsd: toUsd(reservedNano(current)),
    inFlight: Object.keys(current.reservations).length,
    period: current.periodKey,
    resetsAt: periodAt(current.limits?.period ?? limits.period, now).resetsAt,
  };
}
