import { phaseOf, type BreakerPhase, type BreakerSettings, type BreakerState } from "./state";
import type { CircuitBreaker } from "./durable-object";

/** How long an isolate trusts its cached copy before it asks the Durable Object again (in the background). */
export const BREAKER_REFRESH_MS = 5_000;

interface Cached {
  state: BreakerState;
  fetchedAt: number;
}

// Isolate-local: shared by every request this isolate serves. Bounded, since keys include credential hashes.
const MAX_CACHED_KEYS = 1_000;
const cache = new Map<string, Cached>();
const refreshing = new Set<string>();

function remember(key: string, state: BreakerState, now: number): void {
  const cached = cache.get(key);
  // Replies to concurrent reports can arrive out of order: never go back to an older state.
  if (cached && cached.state.version > state.version) return;
  if (!cached && cache.size >= MAX_CACHED_KEYS) cache.clear();
  cache.set(key, { state, fetchedAt: now });
}

export interface BreakerView {
  /** The cached phase; never waits. Unknown keys read as closed (and get fetched in the background). */
  phase(key: string, settings: BreakerSettings): BreakerPhase;
  /** Tell the shared breaker how an attempt went; never waits. */
  report(key: string, settings: BreakerSettings, success: boolean): void;
}

/**
 * The hot path's view of the shared breakers: reads come from the isolate cache, writes go to the Durable Object
 * through waitUntil and come back as fresher cached state. A breaker that is slow or down never delays a request.
 */
export function breakerView(
  namespace: DurableObjectNamespace<CircuitBreaker> | undefined,
  waitUntil: (promise: Promise<unknown>) => void,
  now: () => number = Date.now,
): BreakerView {
  const stub = (key: string) => namespace?.get(namespace.idFromName(key));
  const background = (key: string, call: Promise<BreakerState> | undefined, done?: () => void) => {
    if (!call) return;
    waitUntil(
      call
        .then((state) => remember(key, state, now()))
        .catch((error: unknown) =>
          console.warn("circuit breaker unavailable", error instanceof Error ? error.message : error),
        )
        .finally(done),
    );
  };

  return {
    phase(key, settings) {
      const cached = cache.get(key);
      if ((!cached || now() - cached.fetchedAt > BREAKER_REFRESH_MS) && !refreshing.has(key)) {
        refreshing.add(key);
        background(key, stub(key)?.snapshot(), () => refreshing.delete(key));
      }
      return cached ? phaseOf(cached.state, now(), settings) : "closed";
    },
    report(key, settings, success) {
      const cached = cache.get(key);
      // Successes only matter to a half-open circuit; skipping the rest keeps the object off the happy path.
      if (success && (!cached || phaseOf(cached.state, now(), settings) === "closed")) return;
      background(key, stub(key)?.report(success, settings));
    },
  };
}
