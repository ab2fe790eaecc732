import type { Amount, Headroom } from "./amount";

/**
 * How big a lease the limiter grants (pure). A lease is room for several requests reserved at once and spent by
 * one isolate without further round trips (lease.ts). It is only granted far from every limit, and only a share of
 * what is left, so isolates cannot take the last of a budget from each other: near a limit, requests are admitted
 * one by one, exactly as without leases.
 */

/** A lease takes at most 1/LEASE_SHARE of the room left under any limit (so it needs LEASE_SHARE x MIN_LEASE room). */
export const LEASE_SHARE = 8;
/** At most this many requests per lease, whatever the room. */
export const MAX_LEASE_REQUESTS = 64;
/** Below this a lease saves nothing over admitting requests one by one. */
export const MIN_LEASE_REQUESTS = 2;

/** What the isolate may spend under a lease: capacity per limit, null where the key has no such limit. */
export interface LeaseGrant {
  /** How many requests like the one that asked the lease are worth (the isolate's own bookkeeping). */
  size: number;
  requests: number | null;
  tokens: number | null;
  nano: number | null;
  /** The isolate admits under the lease until then (ms since the epoch); its requests may finish later. */
  admitUntil: number;
}

/** `tokens`, `nano`: what one request like the asking one reserves. Null when the key is too close to a limit. */
export function leaseSize(
  room: Headroom,
  tokens: number,
  nano: number,
  admitUntil: number,
): { grant: LeaseGrant; reserved: Amount } | null {
  let size = MAX_LEASE_REQUESTS;
  const fit = (left: number | null, need: number) => {
    if (left !== null && need > 0) size = Math.min(size, Math.floor(left / (need * LEASE_SHARE)));
  };
  fit(room.requests, 1);
  fit(room.tokens, tokens);
  fit(room.nano, nano);
  if (size < MIN_LEASE_REQUESTS) return null;
  const reserved: Amount = { requests: size, tokens: size * tokens, nano: size * nano };
  const grant: LeaseGrant = {
    size,
    requests: room.requests === null ? null : reserved.requests,
    tokens: room.tokens === null ? null : reserved.tokens,
    nano: room.nano === null ? null : reserved.nano,
    admitUntil,
  };
  return { grant, reserved };
}
