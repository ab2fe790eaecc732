import { DurableObject } from "cloudflare:workers";
import { CLOSED_STATE, recordFailure, recordSuccess, type BreakerSettings, type BreakerState } from "./state";

const STORAGE_KEY = "state";

/** Keep whatever a report sends within sane bounds: the settings come from caller-written configs. */
function sane(settings: BreakerSettings): BreakerSettings {
  const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, Math.floor(value) || min));
  return {
    failureThreshold: clamp(settings.failureThreshold, 1, 1000),
    windowMs: clamp(settings.windowMs, 1, 24 * 3_600_000),
    cooldownMs: clamp(settings.cooldownMs, 1, 24 * 3_600_000),
  };
}

/**
 * One instance per target key (provider + base URL + credential hash): the shared, consistent breaker state for
 * every isolate. Isolates never wait on it: they report with waitUntil and cache the state each report returns.
 * Durable Objects handle one event at a time around storage calls, so read-modify-write here is race-free.
 */
export class CircuitBreaker extends DurableObject<Env> {
  private state: BreakerState | undefined;

  private async load(): Promise<BreakerState> {
    this.state ??= (await this.ctx.storage.get<BreakerState>(STORAGE_KEY)) ?? CLOSED_STATE;
    return this.state;
  }

  async snapshot(): Promise<BreakerState> {
    return this.load();
  }

  async report(success: boolean, settings: BreakerSettings): Promise<BreakerState> {
    const current = await this.load();
    const limits = sane(settings);
    const next = success ? recordSuccess(current, Date.now(), limits) : recordFailure(current, Date.now(), limits);
    if (next === current) return current;
    this.state = next;
    // Persisted so an evicted object does not forget an open circuit; a healthy one leaves no storage behind.
    if (next.openedAt === null && next.failures.length === 0) await this.ctx.storage.delete(STORAGE_KEY);
    else await this.ctx.storage.put(STORAGE_KEY, next);
    return next;
  }
}
