/**
 * The cache's view of time and its background timing, in one mutable object so tests can drive them (an injected
 * clock for max_age checks, no waiting for the stats flush). Production code never changes these.
 */
export const cacheRuntime = {
  /** Wall clock, ms since the epoch: entry ages and expiry. */
  now: (): number => Date.now(),
  /** At most one stats write per isolate and namespace in this window (KV allows one write per key per second). */
  statsFlushMs: 10_000,
  /** Adds to one semantic bucket are gathered for this long and written together (same KV write limit). */
  bucketCoalesceMs: 1_000,
};

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
