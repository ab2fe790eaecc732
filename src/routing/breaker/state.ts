import type { CircuitBreakerConfig } from "../../../schema/config";

/**
 * The circuit-breaker state machine, pure (the clock is an argument). One state per target key; it lives in a
 * Durable Object (durable-object.ts) and isolates cache copies of it (client.ts).
 *
 *   closed --(failure_threshold failures within window_ms)--> open
 *   open --(cooldown_ms elapsed)--> half_open            (derived from openedAt at read time, no timer needed)
 *   half_open --success--> closed;  half_open --failure--> open (the cooldown starts again)
 */
export interface BreakerSettings {
  failureThreshold: number;
  windowMs: number;
  cooldownMs: number;
}

/** Defaults for `strategy.cb_config`: 5 failures within 60 s open the circuit for 30 s. */
export const DEFAULT_BREAKER_SETTINGS: BreakerSettings = { failureThreshold: 5, windowMs: 60_000, cooldownMs: 30_000 };

export function breakerSettings(
  config: CircuitBreakerConfig,
  base: BreakerSettings = DEFAULT_BREAKER_SETTINGS,
): BreakerSettings {
  return {
    failureThreshold: config.failure_threshold ?? base.failureThreshold,
    windowMs: config.window_ms ?? base.windowMs,
    cooldownMs: config.cooldown_ms ?? base.cooldownMs,
  };
}

export interface BreakerState {
  /** Set while open (and half-open): when the circuit opened, by the Durable Object's clock. */
  openedAt: number | null;
  /** Failure times within the window while closed; at most failureThreshold of them. */
  failures: number[];
  /** Bumped on every change, so isolates keep the newest state when reports come back out of order. */
  version: number;
}

export type BreakerPhase = "closed" | "open" | "half_open";

export const CLOSED_STATE: BreakerState = { openedAt: null, failures: [], version: 0 };

export function phaseOf(state: BreakerState, now: number, settings: BreakerSettings): BreakerPhase {
  if (state.openedAt === null) return "closed";
  return now - state.openedAt >= settings.cooldownMs ? "half_open" : "open";
}

export function recordFailure(state: BreakerState, now: number, settings: BreakerSettings): BreakerState {
  const phase = phaseOf(state, now, settings);
  // A failure reported while open came from a request that started before the circuit opened: nothing new.
  if (phase === "open") return state;
  if (phase === "half_open") return { openedAt: now, failures: [], version: state.version + 1 };
  const failures = [...state.failures.filter((t) => now - t < settings.windowMs), now].slice(
    -settings.failureThreshold,
  );
  if (failures.length >= settings.failureThreshold) return { openedAt: now, failures: [], version: state.version + 1 };
  return { openedAt: null, failures, version: state.version + 1 };
}

/** Only a half-open probe's success changes anything: while closed, failures age out of the window on their own. */
export function recordSuccess(state: BreakerState, now: number, settings: BreakerSettings): BreakerState {
  if (phaseOf(state, now, settings) !== "half_open") return state;
  return { openedAt: null, failures: [], version: state.version + 1 };
}

/** Which outcomes count against a target's health: its own failures, not the caller's (4xx other than 408/429). */
export function isBreakerFailure(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}
