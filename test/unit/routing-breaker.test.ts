import { describe, expect, it } from "vitest";
import {
  breakerSettings,
  CLOSED_STATE,
  DEFAULT_BREAKER_SETTINGS,
  isBreakerFailure,
  phaseOf,
  recordFailure,
  recordSuccess,
  type BreakerState,
} from "../../src/routing/breaker/state";

const settings = { failureThreshold: 3, windowMs: 10_000, cooldownMs: 5_000 };

/** Apply failures at the given times (an injected clock). */
const failAt = (state: BreakerState, ...times: number[]) =>
  times.reduce((s, t) => recordFailure(s, t, settings), state);

describe("breaker state machine", () => {
  it("stays closed below the threshold and opens at it", () => {
    const two = failAt(CLOSED_STATE, 1_000, 2_000);
    expect(phaseOf(two, 2_000, settings)).toBe("closed");
    const three = recordFailure(two, 3_000, settings);
    expect(phaseOf(three, 3_000, settings)).toBe("open");
    expect(three.openedAt).toBe(3_000);
  });

  it("only counts failures within the window", () => {
    const spread = failAt(CLOSED_STATE, 0, 6_000, 12_000);
    expect(phaseOf(spread, 12_000, settings)).toBe("closed");
    expect(spread.failures).toEqual([6_000, 12_000]);
    expect(phaseOf(recordFailure(spread, 15_999, settings), 15_999, settings)).toBe("open");
  });

  it("half-opens once the cooldown has passed, with no timer", () => {
    const open = failAt(CLOSED_STATE, 0, 1, 2);
    expect(phaseOf(open, 5_001, settings)).toBe("open");
    expect(phaseOf(open, 5_002, settings)).toBe("half_open");
  });

  it("half-open: a success closes, a failure reopens with a fresh cooldown", () => {
    const open = failAt(CLOSED_STATE, 0, 1, 2);
    const closed = recordSuccess(open, 6_000, settings);
    expect(phaseOf(closed, 6_000, settings)).toBe("closed");
    expect(closed.failures).toEqual([]);
    const reopened = recordFailure(open, 6_000, settings);
    expect(reopened.openedAt).toBe(6_000);
    expect(phaseOf(reopened, 10_999, settings)).toBe("open");
    expect(phaseOf(reopened, 11_000, settings)).toBe("half_open");
  });

  it("ignores late reports while open, and successes while closed", () => {
    const open = failAt(CLOSED_STATE, 0, 1, 2);
    expect(recordFailure(open, 100, settings)).toBe(open);
    expect(recordSuccess(open, 100, settings)).toBe(open);
    const one = failAt(CLOSED_STATE, 0);
    expect(recordSuccess(one, 10, settings)).toBe(one);
  });

  it("bumps the version on every change, so stale copies can be told apart", () => {
    const states = [CLOSED_STATE];
    for (const t of [0, 1, 2]) states.push(recordFailure(states.at(-1) ?? CLOSED_STATE, t, settings));
    states.push(recordSuccess(states.at(-1) ?? CLOSED_STATE, 6_000, settings));
    expect(states.map((s) => s.version)).toEqual([0, 1, 2, 3, 4]);
  });

  it("keeps at most failureThreshold timestamps", () => {
    const big = { ...settings, failureThreshold: 1000 };
    let state = CLOSED_STATE;
    for (let t = 0; t < 50; t++) state = recordFailure(state, t, big);
    expect(state.failures.length).toBe(50);
    expect(failAt(CLOSED_STATE, 0, 1).failures.length).toBeLessThanOrEqual(settings.failureThreshold);
  });
});

describe("breaker settings and failures", () => {
  it("fills cb_config gaps from the defaults (5 failures / 60 s window / 30 s cooldown)", () => {
    expect(DEFAULT_BREAKER_SETTINGS).toEqual({ failureThreshold: 5, windowMs: 60_000, cooldownMs: 30_000 });
    expect(breakerSettings({ cooldown_ms: 100 })).toEqual({ failureThreshold: 5, windowMs: 60_000, cooldownMs: 100 });
    expect(breakerSettings({ failure_threshold: 2 }, { failureThreshold: 9, windowMs: 1, cooldownMs: 2 })).toEqual({
      failureThreshold: 2,
      windowMs: 1,
      cooldownMs: 2,
    });
  });

  it("counts the target's failures (5xx, timeouts, rate limits), not the caller's", () => {
    for (const status of [500, 502, 503, 504, 408, 429]) expect(isBreakerFailure(status)).toBe(true);
    for (const status of [200, 400, 401, 403, 404, 413, 422]) expect(isBreakerFailure(status)).toBe(false);
  });
});
