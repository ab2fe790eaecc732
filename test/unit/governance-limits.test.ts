import { describe, expect, it } from "vitest";
import {
  admit,
  EMPTY_LEDGER,
  expire,
  nextExpiry,
  settle,
  snapshot,
  type AdmitInput,
  type LedgerState,
  type Limits,
} from "../../src/governance/limits/ledger";
import { BUCKET_MS, WINDOW_MS } from "../../src/governance/limits/window";

/** The limiter's rules with an injected clock: sliding windows, reservations, settlement, expiry. */

const T0 = Date.UTC(2026, 10, 20, 12, 0, 0); // a bucket boundary
const NO_LIMITS: Limits = { rpm: null, tpm: null, budgetUsd: null, period: "none" };

let counter = 0;
function request(limits: Partial<Limits>, extra: Partial<AdmitInput> = {}): AdmitInput {
  counter += 1;
  return { id: `r${counter}`, limits: { ...NO_LIMITS, ...limits }, tokens: 10, costUsd: 0, ttlMs: 60_000, ...extra };
}

/** Admit `input` at `now`, returning the new state and whether it was admitted (and the denial). */
function run(state: LedgerState, input: AdmitInput, now: number) {
  const { state: next, result } = admit(state, input, now);
  return { state: next, ok: result.ok, denial: result.ok ? undefined : result.denial };
}

describe("requests per minute (sliding window)", () => {
  it("admits rpm requests, refuses the next with the wait until the oldest leaves the window", () => {
    let state = EMPTY_LEDGER;
    for (const at of [T0, T0 + 100]) state = run(state, request({ rpm: 2 }), at).state;
    const third = run(state, request({ rpm: 2 }), T0 + 200);
    expect(third.ok).toBe(false);
    expect(third.denial).toMatchObject({ limit: "rpm", limitValue: 2, used: 2 });
    // The first request's bucket [T0, T0+1s) counts until a whole minute after its end.
    expect(third.denial?.retryAfterMs).toBe(WINDOW_MS + BUCKET_MS - 200);
    expect(run(state, request({ rpm: 2 }), T0 + WINDOW_MS + BUCKET_MS - 1).ok).toBe(false);
    expect(run(state, request({ rpm: 2 }), T0 + WINDOW_MS + BUCKET_MS).ok).toBe(true);
  });

  it("slides: only the requests of the last minute count", () => {
    let state = EMPTY_LEDGER;
    state = run(state, request({ rpm: 2 }), T0).state;
    state = run(state, request({ rpm: 2 }), T0 + 30_000).state;
    expect(run(state, request({ rpm: 2 }), T0 + 45_000).ok).toBe(false);
    const later = run(state, request({ rpm: 2 }), T0 + 61_000);
    expect(later.ok).toBe(true); // the T0 request left, the T0+30s one is still in
    expect(run(later.state, request({ rpm: 2 }), T0 + 62_000).denial?.retryAfterMs).toBe(
      30_000 + WINDOW_MS + BUCKET_MS - 62_000,
    );
  });

  it("a request that never reached a provider is refunded at settlement", () => {
    const first = request({ rpm: 1 });
    const admitted = run(EMPTY_LEDGER, first, T0).state;
    expect(run(admitted, request({ rpm: 1 }), T0 + 10).ok).toBe(false);
    const refunded = settle(admitted, { id: first.id, costUsd: 0, tokens: 0, requests: 0, period: "none" }, T0 + 20);
    expect(run(refunded, request({ rpm: 1 }), T0 + 30).ok).toBe(true);
  });
});

describe("tokens per minute", () => {
  it("counts the estimate until settlement replaces it with the real usage", () => {
    const big = request({ tpm: 1_000 }, { tokens: 900 });
    let state = run(EMPTY_LEDGER, big, T0).state;
    const refused = run(state, request({ tpm: 1_000 }, { tokens: 200 }), T0 + 10);
    expect(refused.denial).toMatchObject({ limit: "tpm", used: 900, needed: 200, limitValue: 1_000 });
    expect(refused.denial?.retryAfterMs).toBe(WINDOW_MS + BUCKET_MS - 10);
    state = settle(state, { id: big.id, costUsd: 0, tokens: 300, requests: 1, period: "none" }, T0 + 20);
    expect(run(state, request({ tpm: 1_000 }, { tokens: 200 }), T0 + 30).ok).toBe(true);
  });

  it("a request larger than the whole limit is refused with no point in waiting", () => {
    const denial = run(EMPTY_LEDGER, request({ tpm: 100 }, { tokens: 101 }), T0).denial;
    expect(denial).toMatchObject({ limit: "tpm", retryAfterMs: null });
  });
});

describe("budget reservations", () => {
  const budget = (usd: number, extra: Partial<Limits> = {}) => ({ budgetUsd: usd, ...extra });

  it("sums costs exactly: a budget of 10 x cost admits exactly 10 concurrent requests", () => {
    const cost = 0.0001 + 0.00002; // floats that do not add up exactly
    let state = EMPTY_LEDGER;
    let admitted = 0;
    for (let i = 0; i < 20; i++) {
      const r = run(state, request(budget(cost * 10), { costUsd: cost }), T0 + i);
      state = r.state;
      if (r.ok) admitted += 1;
    }
    expect(admitted).toBe(10);
  });

  it("holds the worst case in flight, then settles the real cost and frees the rest", () => {
    const first = request(budget(1), { costUsd: 0.6 });
    let state = run(EMPTY_LEDGER, first, T0).state;
    const held = run(state, request(budget(1), { costUsd: 0.6 }), T0 + 1);
    expect(held.denial).toMatchObject({
      limit: "budget",
      reason: "in_flight",
      reservedUsd: 0.6,
      used: 0,
      retryAfterMs: 1_000,
    });
    state = settle(state, { id: first.id, costUsd: 0.25, tokens: 5, requests: 1, period: "none" }, T0 + 2);
    expect(snapshot(state, { ...NO_LIMITS, budgetUsd: 1 }, T0 + 3)).toMatchObject({
      spentUsd: 0.25,
      reservedUsd: 0,
      inFlight: 0,
    });
    expect(run(state, request(budget(1), { costUsd: 0.6 }), T0 + 4).ok).toBe(true);
  });

  it("says when a spent budget resets, and that a lifetime one does not", () => {
    const monthly = request(budget(1, { period: "monthly" }), { costUsd: 1 });
    let state = run(EMPTY_LEDGER, monthly, T0).state;
    state = settle(state, { id: monthly.id, costUsd: 1, tokens: 1, requests: 1, period: "monthly" }, T0 + 1);
    const denial = run(state, request(budget(1, { period: "monthly" }), { costUsd: 0.01 }), T0 + 2).denial;
    expect(denial).toMatchObject({ limit: "budget", reason: "exhausted", used: 1, resetsAt: Date.UTC(2026, 11, 1) });
    expect(denial?.retryAfterMs).toBe(Date.UTC(2026, 11, 1) - (T0 + 2));

    const lifetime = request(budget(1), { costUsd: 1 });
    let spent = run(EMPTY_LEDGER, lifetime, T0).state;
    spent = settle(spent, { id: lifetime.id, costUsd: 1, tokens: 1, requests: 1, period: "none" }, T0 + 1);
    expect(run(spent, request(budget(1), { costUsd: 0.01 }), T0 + 2).denial).toMatchObject({
      reason: "exhausted",
      retryAfterMs: null,
      resetsAt: null,
    });
  });

  it("a request dearer than the whole budget is refused outright", () => {
    expect(run(EMPTY_LEDGER, request(budget(0.5), { costUsd: 0.51 }), T0).denial).toMatchObject({
      reason: "too_large",
      retryAfterMs: null,
    });
  });

  it("resets on the UTC period boundary", () => {
    const daily = request(budget(1, { period: "daily" }), { costUsd: 1 });
    let state = run(EMPTY_LEDGER, daily, T0).state;
    state = settle(state, { id: daily.id, costUsd: 1, tokens: 1, requests: 1, period: "daily" }, T0 + 1);
    const endOfDay = Date.UTC(2026, 10, 21) - 1;
    expect(run(state, request(budget(1, { period: "daily" }), { costUsd: 0.5 }), endOfDay).ok).toBe(false);
    expect(run(state, request(budget(1, { period: "daily" }), { costUsd: 0.5 }), endOfDay + 1).ok).toBe(true);
  });
});

describe("unsettled reservations", () => {
  it("expire after their ttl, releasing the hold (what the alarm does)", () => {
    const lost = request({ budgetUsd: 1 }, { costUsd: 1, ttlMs: 5_000 });
    const state = run(EMPTY_LEDGER, lost, T0).state;
    expect(nextExpiry(state)).toBe(T0 + 5_000);
    expect(expire(state, T0 + 4_999)).toBe(state);
    const released = expire(state, T0 + 5_000);
    expect(released.reservations).toEqual({});
    expect(nextExpiry(released)).toBeNull();
    // Admission also expires them lazily.
    expect(run(state, request({ budgetUsd: 1 }, { costUsd: 1 }), T0 + 5_000).ok).toBe(true);
  });

  it("a settlement after expiry still records the cost", () => {
    const late = request({ budgetUsd: 1 }, { costUsd: 0.5, ttlMs: 1_000 });
    const state = expire(run(EMPTY_LEDGER, late, T0).state, T0 + 2_000);
    const settled = settle(state, { id: late.id, costUsd: 0.4, tokens: 3, requests: 1, period: "none" }, T0 + 3_000);
    expect(snapshot(settled, { ...NO_LIMITS, budgetUsd: 1 }, T0 + 3_000).spentUsd).toBe(0.4);
  });
});

describe("limits from isolates with stale key records", () => {
  it("the newest limits win, and a settlement never switches the budget period", () => {
    const v1: Limits = { ...NO_LIMITS, budgetUsd: 1, period: "monthly", version: 1 };
    const v2: Limits = { ...NO_LIMITS, budgetUsd: 1, period: "weekly", version: 2 };
    const first = request(v1, { costUsd: 0.5 });
    let state = run(EMPTY_LEDGER, first, T0).state;
    state = settle(state, { id: first.id, costUsd: 0.5, tokens: 1, requests: 1, period: "monthly" }, T0 + 1);
    // The admin switched to weekly: a fresh isolate's call starts the weekly count...
    const fresh = request(v2, { costUsd: 0.4 });
    state = run(state, fresh, T0 + 2).state;
    expect(snapshot(state, v2, T0 + 2)).toMatchObject({ spentUsd: 0, reservedUsd: 0.4 });
    // ...a stale isolate's admission is judged by the newer limits, and its settlement lands in the same period.
    const stale = run(state, request(v1, { costUsd: 0.5 }), T0 + 3);
    expect(stale.ok).toBe(true);
    state = settle(stale.state, { id: fresh.id, costUsd: 0.4, tokens: 1, requests: 1, period: "monthly" }, T0 + 4);
    expect(snapshot(state, v1, T0 + 4)).toMatchObject({ spentUsd: 0.4, period: "weekly:2026-11-16" });
    expect(run(state, request(v1, { costUsd: 0.2 }), T0 + 5).denial).toMatchObject({
      limit: "budget",
      reason: "in_flight",
    });
  });
});
