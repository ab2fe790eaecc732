/**
 * Sliding one-minute window of requests and tokens, in one-second buckets (pure; the clock is an argument).
 *
 * Buckets bound the memory to 61 entries whatever the rate (a log of timestamps would grow with rpm, and without
 * bound when only tpm is set). A bucket keeps counting until one whole window has passed since its END, so an
 * admission made at any instant inside it is counted for at least 60 s: the limit may be stricter than an exact
 * log by up to one second, never looser.
 */
export const WINDOW_MS = 60_000;
export const BUCKET_MS = 1_000;

export interface Bucket {
  /** Start of the second, ms since the epoch (a multiple of BUCKET_MS). */
  start: number;
  requests: number;
  tokens: number;
}

/** Oldest first. */
export type Window = readonly Bucket[];

export const bucketOf = (now: number): number => Math.floor(now / BUCKET_MS) * BUCKET_MS;

/** When a bucket stops counting. */
export const leavesAt = (bucket: Bucket | number): number =>
  (typeof bucket === "number" ? bucket : bucket.start) + BUCKET_MS + WINDOW_MS;

export function prune(window: Window, now: number): Window {
  const first = window.findIndex((bucket) => leavesAt(bucket) > now);
  return first === -1 ? [] : first === 0 ? window : window.slice(first);
}

export function totals(window: Window): { requests: number; tokens: number } {
  let requests = 0;
  let tokens = 0;
  for (const bucket of window) {
    requests += bucket.requests;
    tokens += bucket.tokens;
  }
  return { requests, tokens };
}

/** Add to the bucket that starts at `start` (creating it, in order, if needed). Counts never go below zero. */
export function add(window: Window, start: number, requests: number, tokens: number): Window {
  const index = window.findIndex((bucket) => bucket.start === start);
  if (index === -1) {
    const bucket = { start, requests: Math.max(0, requests), tokens: Math.max(0, tokens) };
    return [...window, bucket].sort((a, b) => a.start - b.start);
  }
  return window.map((bucket, i) =>
    i === index
      ? { start, requests: Math.max(0, bucket.requests + requests), tokens: Math.max(0, bucket.tokens + tokens) }
      : bucket,
  );
}

/**
 * Milliseconds until at least `excess` units (requests or tokens, as `measure` picks) have left the window, or null
 * when even an empty window would not free that much.
 */
export function waitFor(
  window: Window,
  now: number,
  excess: number,
  measure: (bucket: Bucket) => number,
): number | null {
  if (excess <= 0) return 0;
  let freed = 0;
  for (const bucket of window) {
    freed += measure(bucket);
    if (freed >= excess) return Math.max(0, leavesAt(bucket) - now);
  }
  return null;
}
