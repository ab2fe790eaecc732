import type { BudgetPeriod } from "../../../schema/db/keys";

/**
 * Budget periods on UTC boundaries (pure): daily from 00:00 UTC, weekly from Monday 00:00 UTC (ISO weeks),
 * monthly from the 1st 00:00 UTC. `none` is a lifetime budget that never resets.
 */
export interface PeriodWindow {
  /** Identifies the period: spend recorded under another key is from an earlier period (or another kind). */
  key: string;
  /** When the next period starts (ms since the epoch), null for `none`. */
  resetsAt: number | null;
}

const DAY_MS = 86_400_000;
const LIFETIME: PeriodWindow = Object.freeze({ key: "none", resetsAt: null });

const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

function compute(period: Exclude<BudgetPeriod, "none">, now: number): PeriodWindow & { startsAt: number } {
  const date = new Date(now);
  const dayStart = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  switch (period) {
    case "daily":
      return { key: `daily:${isoDay(dayStart)}`, startsAt: dayStart, resetsAt: dayStart + DAY_MS };
    case "weekly": {
      // getUTCDay: Sunday is 0; ISO weeks start on Monday.
      const weekStart = dayStart - ((date.getUTCDay() + 6) % 7) * DAY_MS;
      return { key: `weekly:${isoDay(weekStart)}`, startsAt: weekStart, resetsAt: weekStart + 7 * DAY_MS };
    }
    case "monthly": {
      const monthStart = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
      const resetsAt = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
      return { key: `monthly:${isoDay(monthStart).slice(0, 7)}`, startsAt: monthStart, resetsAt };
    }
  }
}

// The limiter asks on every admission and settlement; date formatting showed up in profiles, so the current
// period of each kind is remembered until it ends (a clock that goes backwards simply recomputes).
const current = new Map<BudgetPeriod, PeriodWindow & { startsAt: number }>();

export function periodAt(period: BudgetPeriod, now: number): PeriodWindow {
  if (period === "none") return LIFETIME;
  const cached = current.get(period);
  if (cached && cached.resetsAt !== null && now >= cached.startsAt && now < cached.resetsAt)
    return { key: cached.key, resetsAt: cached.resetsAt };
  const fresh = compute(period, now);
  current.set(period, fresh);
  return { key: fresh.key, resetsAt: fresh.resetsAt };
}
