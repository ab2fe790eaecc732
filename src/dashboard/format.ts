/** Display formatting for the dashboard's pages (numbers as people read them; exact values stay in data-value). */

export const count = (n: number | null): string => (n === null ? "–" : n.toLocaleString("en-US"));

export function usd(n: number | null): string {
  if (n === null) return "–";
  if (n === 0) return "$0";
  if (Math.abs(n) < 0.01) return `$${n.toPrecision(3)}`;
  return `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

export const percent = (part: number, whole: number): string =>
  whole === 0 ? "–" : `${((part / whole) * 100).toFixed(1)}%`;

export const ms = (n: number | null | undefined): string =>
  n === null || n === undefined ? "–" : `${count(Math.round(n))} ms`;

export const when = (iso: string): string => iso.replace("T", " ").replace(/\.\d+Z$/, "Z");

/** The time ranges every page offers, with the rollup interval that answers each. */
export const RANGES = {
  "1h": { ms: 3_600_000, interval: "hour" },
  "24h": { ms: 86_400_000, interval: "hour" },
  "7d": { ms: 7 * 86_400_000, interval: "hour" },
  "30d": { ms: 30 * 86_400_000, interval: "day" },
} as const;

export type RangeId = keyof typeof RANGES;

export const rangeOf = (raw: string | undefined): RangeId =>
  raw !== undefined && Object.hasOwn(RANGES, raw) ? (raw as RangeId) : "24h";
