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
  /**
   * How long a lookup waits for one read of the index (a KV entry or bucket, a Vectorize query) before it counts
   * as a miss. KV answers hot keys in a few ms and cold ones in tens to hundreds; a read slower than this is an
   * incident, and the request must not wait it out before its provider call.
   */
  readTimeoutMs: 1_000,
  /** Writes to one KV key from this isolate are at least this far apart (KV allows one write per key per second). */
  keyWriteSpacingMs: 1_000,
};

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `promise`, or `fallback` if it has not settled within `ms`. A rejection passes through (callers turn it into a
 * miss where they already did); the late result of a slow read is dropped.
 */
export function within<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<T>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
