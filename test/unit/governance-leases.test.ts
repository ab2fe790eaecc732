import { describe, expect, it } from "vitest";
import { LocalLease } from "../../src/governance/limits/lease";
import { LEASE_SHARE, leaseSize, MAX_LEASE_REQUESTS } from "../../src/governance/limits/lease-size";
import {
  admit,
  EMPTY_LEDGER,
  renewLease,
  settle,
  snapshot,
  type AdmitInput,
  type LedgerState,
  type Limits,
} from "../../src/governance/limits/ledger";
import { BUCKET_MS, WINDOW_MS } from "../../src/governance/limits/window";

/** Leases with an injected clock: when the limiter grants one, how big, and how the isolate spends and returns it. */

const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);
const NO_LIMITS: Limits = { rpm: null, tpm: null, budgetUsd: null, period: "none" };
const WINDOW = 1_000;

let counter = 0;
function ask(limits: Partial<Limits>, extra: Partial<AdmitInput> = {}): AdmitInput {
  counter += 1;
  return {
    id: `l${counter}`,
    limits: { ...NO_LIMITS, ...limits },
    tokens: 100,
    costUsd: 0.001,
    ttlMs: 600_000,
    leaseWindowMs: WINDOW,
    ...extra,
  };
}

describe("lease size (limiter side)", () => {
  it("takes at most 1/8 of the room under each limit, capped, and none below 2 requests' worth", () => {
    expect(leaseSize({ requests: 1_000, tokens: null, nano: null }, 100, 0, T0)?.grant).toMatchObject({
      size: MAX_LEASE_REQUESTS,
      requests: 64,
      tokens: null,
      nano: null,
    });
    expect(leaseSize({ requests: 80, tokens: null, nano: null }, 100, 0, T0)?.grant.size).toBe(80 / LEASE_SHARE);
    // tokens: 10_000 left, 100 per request -> 100 requests of room -> 12 requests' lease
    expect(leaseSize({ requests: null, tokens: 10_000, nano: null }, 100, 0, T0)?.grant).toMatchObject({
      size: 12,
      tokens: 1_200,
      requests: null,
    });
    // budget: room for 31 requests -> 3; for 15 -> none (1 < 2)
    expect(leaseSize({ requests: null, tokens: null, nano: 31_000 }, 100, 1_000, T0)?.grant).toMatchObject({
      size: 3,
      nano: 3_000,
    });
    expect(leaseSize({ requests: null, tokens: null, nano: 15_999 }, 100, 1_000, T0)).toBeNull();
    // the tightest limit decides
    expect(leaseSize({ requests: 10_000, tokens: 4_000, nano: 10 ** 12 }, 100, 1_000, T0)?.grant.size).toBe(5);
  });
});

describe("leases in the ledger", () => {
  it("admit grants a lease far from the limits, counted whole in the window and the budget", () => {
    const limits = { rpm: 1_000, budgetUsd: 10 };
    const { state, result } = admit(EMPTY_LEDGER, ask(limits), T0);
    expect(result).toMatchObject({
      ok: true,
      lease: { size: 64, requests: 64, nano: 64 * 1_000_000, admitUntil: T0 + WINDOW },
    });
    const usage = snapshot(state, { ...NO_LIMITS, ...limits }, T0);
    expect(usage).toMatchObject({ requests: 64, tokens: 6_400, reservedUsd: 0.064, inFlight: 1 });
  });

  it("near a limit there is no lease: requests go one by one", () => {
    const { result } = admit(EMPTY_LEDGER, ask({ rpm: 15 }), T0);
    expect(result).toEqual({ ok: true });
  });

  it("never leases more than the room left, whatever the number of isolates asking", () => {
    const limits = { ...NO_LIMITS, budgetUsd: 1 };
    let state: LedgerState = EMPTY_LEDGER;
    let leased = 0;
    for (let i = 0; i < 200; i++) {
      const renewed = renewLease(state, { ...ask(limits), leaseWindowMs: WINDOW }, T0 + i);
      state = renewed.state;
      if (renewed.lease?.nano) leased += renewed.lease.nano;
    }
    expect(leased).toBeLessThanOrEqual(1_000_000_000);
    // what is left is too little to lease (under 16 requests' worth), so the last requests are admitted exactly
    expect(1_000_000_000 - leased).toBeLessThan(16 * 1_000_000);
    expect(
      admit(state, { ...ask(limits), leaseWindowMs: undefined, costUsd: (1_000_000_000 - leased) / 1e9 }, T0 + 300)
        .result.ok,
    ).toBe(true);
  });

  it("closing a lease replaces the reservation with what its requests really used", () => {
    const limits = { ...NO_LIMITS, rpm: 1_000, tpm: 1_000_000, budgetUsd: 10 };
    const first = ask(limits);
    let state = admit(EMPTY_LEDGER, first, T0).state;
    state = settle(state, { id: first.id, costUsd: 0.0042, tokens: 420, requests: 7, period: "none" }, T0 + 2_000);
    expect(snapshot(state, limits, T0 + 2_000)).toMatchObject({
      requests: 7,
      tokens: 420,
      spentUsd: 0.0042,
      reservedUsd: 0,
      inFlight: 0,
    });
  });

  it("counts a lease in the bucket where its admission ends, so the window is never looser than exact", () => {
    const limits = { ...NO_LIMITS, rpm: 1_000 };
    const at = T0 + 500; // admission until T0 + 1500: the bucket of T0 + 1s
    const state = admit(EMPTY_LEDGER, ask(limits), at).state;
    // a request admitted at T0 + 1499 under the lease must count until T0 + 61_499 at least
    expect(snapshot(state, limits, T0 + 1_000 + BUCKET_MS + WINDOW_MS - 1).requests).toBe(64);
    expect(snapshot(state, limits, T0 + 1_000 + BUCKET_MS + WINDOW_MS).requests).toBe(0);
  });
});

describe("a lease in the isolate", () => {
  const grant = { size: 4, requests: 4, tokens: 400, nano: 4_000, admitUntil: T0 + WINDOW };
  const need = { tokens: 100, nano: 1_000 };

  it("admits until a limit's share runs out, and returns what finished requests did not use", () => {
    const lease = new LocalLease("l", "k", grant);
    for (let i = 0; i < 4; i++) expect(lease.take(need, T0)).toBe(true);
    expect(lease.take(need, T0)).toBe(false);
    lease.give(need, { tokens: 40, nano: 300, reached: true });
    // one request slot is spent (it reached a provider); 60 tokens and 700 nano came back, not enough for another
    expect(lease.left).toEqual({ requests: 0, tokens: 60, nano: 700 });
    lease.give(need, { tokens: 0, nano: 0, reached: false });
    expect(lease.left).toEqual({ requests: 1, tokens: 160, nano: 1_700 });
    expect(lease.take(need, T0 + 1)).toBe(true);
  });

  it("stops admitting at the end of its window, and closes once, after its last request", () => {
    const lease = new LocalLease("l", "k", grant);
    expect(lease.take(need, T0)).toBe(true);
    expect(lease.take(need, T0 + WINDOW)).toBe(false);
    expect(lease.closeAt(T0 + WINDOW)).toBe(false); // a request is still in flight
    lease.give(need, { tokens: 90, nano: 900, reached: true });
    expect(lease.closeAt(T0 + WINDOW)).toBe(true);
    expect(lease.closeAt(T0 + WINDOW)).toBe(false);
    expect(lease.used).toEqual({ requests: 1, tokens: 90, nano: 900 });
  });

  it("asks for the next lease when half of any limit's share is gone or half its window passed", () => {
    const lease = new LocalLease("l", "k", grant);
    lease.take(need, T0);
    expect(lease.runningLow(T0, WINDOW)).toBe(false);
    lease.take(need, T0);
    lease.take(need, T0);
    expect(lease.runningLow(T0, WINDOW)).toBe(true);
    expect(new LocalLease("m", "k", grant).runningLow(T0 + WINDOW / 2 + 1, WINDOW)).toBe(true);
  });

  it("a retired lease admits nothing more", () => {
    const lease = new LocalLease("l", "k", grant);
    lease.retire();
    expect(lease.take(need, T0)).toBe(false);
    expect(lease.closeAt(T0)).toBe(true);
  });
});
