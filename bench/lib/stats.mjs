// Small, dependency-free statistics over arrays of milliseconds.

const sorted = (values) => Float64Array.from(values).sort();

/** Nearest-rank percentile (p in 0..100) of unsorted values; NaN for an empty array. */
export function percentile(values, p) {
  if (values.length === 0) return Number.NaN;
  const s = sorted(values);
  const rank = Math.min(s.length, Math.max(1, Math.ceil((p / 100) * s.length)));
  return s[rank - 1];
}

export function median(values) {
  if (values.length === 0) return Number.NaN;
  const s = sorted(values);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export const mean = (values) => (values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length);

export const round = (value, digits = 3) => (Number.isFinite(value) ? Number(value.toFixed(digits)) : null);
