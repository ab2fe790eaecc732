import { LATENCY_BUCKETS_MS } from "../../schema/db";

/** Number of histogram buckets: one per bound, plus the overflow bucket. */
export const BUCKET_COUNT = LATENCY_BUCKETS_MS.length + 1;

/**
 * The q-quantile (0..1) of a latency histogram of non-cumulative bucket counts, interpolating linearly inside the
 * bucket like Prometheus' histogram_quantile. A quantile that falls in the overflow bucket is reported as its lower
 * bound (the slowest finite bound): the histogram only knows it was slower than that. Null without samples.
 */
export function quantile(counts: readonly number[], q: number): number | null {
  const total = counts.reduce((sum, n) => sum + n, 0);
  if (total <= 0) return null;
  const rank = q * total;
  let below = 0;
  for (let i = 0; i < counts.length; i++) {
    const count = counts[i] ?? 0;
    const upper = LATENCY_BUCKETS_MS[i];
    const lower = i === 0 ? 0 : (LATENCY_BUCKETS_MS[i - 1] ?? 0);
    if (upper === undefined) return lower;
    if (count > 0 && below + count >= rank)
      return Math.round((lower + ((upper - lower) * (rank - below)) / count) * 100) / 100;
    below += count;
  }
  return LATENCY_BUCKETS_MS.at(-1) ?? null;
}
