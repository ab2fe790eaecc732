import { eq } from "drizzle-orm";
import { gatewayKeys, virtualKeys, type BudgetPeriod } from "../../schema/db/keys";
import type { Db } from "../storage/db";

/**
 * Where budgets come from. Budgets belong to governance (gateway keys and virtual keys carry `budget_usd` and
 * `budget_period`); alerts only need this much of them, so they depend on this interface, and tests can stub it.
 */
export type BudgetKind = "gateway_key" | "virtual_key";

export interface Budget {
  limitUsd: number;
  period: BudgetPeriod;
  /** Epoch ms where the current period began (UTC); 0 for a lifetime budget. Alerts are sent once per period. */
  periodStart: number;
}

export interface BudgetSource {
  budgetFor(kind: BudgetKind, id: string): Promise<Budget | null>;
}

const DAY_MS = 86_400_000;

/**
 * Start of the period containing `now`, on the same UTC boundaries governance resets budgets on
 * (src/governance/limits/period.ts): day, ISO week (Monday), month; `none` is a lifetime budget.
 */
export function periodStartOf(period: BudgetPeriod, now: number): number {
  const date = new Date(now);
  const day = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  switch (period) {
    case "daily":
      return day;
    case "weekly":
      return day - ((date.getUTCDay() + 6) % 7) * DAY_MS;
    case "monthly":
      return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
    case "none":
      return 0;
  }
}

/** Budgets from governance's gateway_keys and virtual_keys tables (schema/db/keys.ts). */
export function d1BudgetSource(db: Db, now: () => number = Date.now): BudgetSource {
  return {
    async budgetFor(kind, id) {
      const table = kind === "gateway_key" ? gatewayKeys : virtualKeys;
      const [row] = await db
        .select({ usd: table.budgetUsd, period: table.budgetPeriod })
        .from(table)
        .where(eq(table.id, id))
        .limit(1);
      if (!row || row.usd === null || !(row.usd > 0)) return null;
      return { limitUsd: row.usd, period: row.period, periodStart: periodStartOf(row.period, now()) };
    },
  };
}
