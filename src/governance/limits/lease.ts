import type { LeaseGrant } from "./lease-size";

/**
 * One lease as the isolate holding it sees it (pure; the clock is an argument).
 *
 * A busy key would otherwise cost every request a round trip to its limiter before the provider call. Instead, when
 * the key is far from its limits, the limiter reserves room for several requests at once (lease-size.ts) and this
 * isolate admits them locally. Exactness is kept the same way as for single requests: the limiter counts the whole
 * lease as reserved (window and budget) from the moment it grants it, the isolate never admits beyond it, and when
 * the lease's requests are all over the isolate reports what they really used, which replaces the reservation.
 *
 * Invariant: left = granted - reserved by requests in flight - really used by finished ones, per limit.
 */
export interface Need {
  tokens: number;
  nano: number;
}

export interface Used {
  requests: number;
  tokens: number;
  nano: number;
}

/** Ask for a new lease once any limit has less than this share of the grant left. */
const RENEW_BELOW = 0.5;

export class LocalLease {
  readonly left: { requests: number | null; tokens: number | null; nano: number | null };
  readonly used: Used = { requests: 0, tokens: 0, nano: 0 };
  private inFlight = 0;
  private admitUntil: number;
  private closed = false;

  constructor(
    /** The reservation's id at the limiter. */
    readonly id: string,
    /** The limits it was granted under: a lease never outlives a change of limits. */
    readonly limitsKey: string,
    readonly grant: LeaseGrant,
  ) {
    this.left = { requests: grant.requests, tokens: grant.tokens, nano: grant.nano };
    this.admitUntil = grant.admitUntil;
  }

  /** Reserve one request from the lease; false when it does not fit or the lease no longer admits. */
  take(need: Need, now: number): boolean {
    const { left } = this;
    if (now >= this.admitUntil) return false;
    if (
      (left.requests !== null && left.requests < 1) ||
      (left.tokens !== null && left.tokens < need.tokens) ||
      (left.nano !== null && left.nano < need.nano)
    ) {
      return false;
    }
    if (left.requests !== null) left.requests -= 1;
    if (left.tokens !== null) left.tokens -= need.tokens;
    if (left.nano !== null) left.nano -= need.nano;
    this.inFlight += 1;
    return true;
  }

  /** A request taken from the lease is over: what it really used replaces what it reserved. */
  give(need: Need, actual: { tokens: number; nano: number; reached: boolean }): void {
    const { left, used } = this;
    this.inFlight -= 1;
    if (actual.reached) used.requests += 1;
    else if (left.requests !== null) left.requests += 1;
    used.tokens += actual.tokens;
    used.nano += actual.nano;
    if (left.tokens !== null) left.tokens += need.tokens - actual.tokens;
    if (left.nano !== null) left.nano += need.nano - actual.nano;
  }

  /** Time to ask for the next lease: some limit is below RENEW_BELOW of the grant, or admission ends soon. */
  runningLow(now: number, windowMs: number): boolean {
    const low = (left: number | null, granted: number | null) =>
      left !== null && granted !== null && left < granted * RENEW_BELOW;
    const { left, grant } = this;
    return (
      this.admitUntil - now < windowMs * RENEW_BELOW ||
      low(left.requests, grant.requests) ||
      low(left.tokens, grant.tokens) ||
      low(left.nano, grant.nano)
    );
  }

  /** Stop admitting: a newer lease took over. Requests in flight still finish under this one. */
  retire(): void {
    this.admitUntil = Number.NEGATIVE_INFINITY;
  }

  /**
   * True once, when the lease admits no more and its last request is over: then its usage goes to the limiter,
   * which releases the rest of the reservation.
   */
  closeAt(now: number): boolean {
    if (this.closed || this.inFlight > 0 || now < this.admitUntil) return false;
    this.closed = true;
    return true;
  }
}
