import { and, eq, gte, sql } from "drizzle-orm";
import { budgetAlerts, logRollups } from "../../schema/db";
import type { Db } from "../storage/db";
import type { Budget, BudgetKind, BudgetSource } from "./budget-source";
import type { LogEvent } from "./event";
import { hourOf } from "./rows";
import { alertThresholds, webhookUrl } from "./settings";

const WEBHOOK_TIMEOUT_MS = 10_000;
// Costs are float sums: 0.1 + 0.2 must reach a 0.3 threshold.
const EPSILON_USD = 1e-9;

/** The JSON body of a budget alert webhook. */
export interface BudgetAlert {
  type: "budget.threshold_reached";
  key_kind: BudgetKind;
  /** The gateway key's or the virtual key's id (never a secret). */
  key_id: string;
  threshold_percent: number;
  limit_usd: number;
  spent_usd: number;
  spent_percent: number;
  period: Budget["period"];
  period_start: string;
  sent_at: string;
}

const DIMENSION: Record<BudgetKind, string> = { gateway_key: "key", virtual_key: "virtual_key" };

/**
 * The key's spend in its current period, from the hourly rollups (never a scan of the logs). Periods start on
 * UTC hour boundaries (day, week, month), so whole hours are exact.
 */
async function spentSince(db: Db, kind: BudgetKind, keyId: string, periodStart: number): Promise<number> {
  const [row] = await db
    .select({ usd: sql<number>`coalesce(sum(${logRollups.costUsd}), 0)` })
    .from(logRollups)
    .where(
      and(
        eq(logRollups.dimension, DIMENSION[kind]),
        eq(logRollups.value, keyId),
        gte(logRollups.hour, hourOf(periodStart)),
      ),
    );
  return Number(row?.usd ?? 0);
}

async function post(url: string, alert: BudgetAlert): Promise<boolean> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(alert),
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

interface Subject {
  kind: BudgetKind;
  id: string;
}

async function alertKey(
  db: Db,
  url: string,
  thresholds: readonly number[],
  subject: Subject,
  budget: Budget,
  now: number,
): Promise<number> {
  const { kind, id: keyId } = subject;
  const spent = await spentSince(db, kind, keyId, budget.periodStart);
  const claimKey = (threshold: number) =>
    and(
      eq(budgetAlerts.keyKind, kind),
      eq(budgetAlerts.keyId, keyId),
      eq(budgetAlerts.periodStart, budget.periodStart),
      eq(budgetAlerts.thresholdPercent, threshold),
    );
  let sent = 0;
  for (const threshold of thresholds) {
    if (spent + EPSILON_USD < (budget.limitUsd * threshold) / 100) break;
    // Claim first: of two consumers crossing the same threshold, only the one whose insert lands sends.
    const claimed = await db
      .insert(budgetAlerts)
      .values({
        keyKind: kind,
        keyId,
        periodStart: budget.periodStart,
        thresholdPercent: threshold,
        limitUsd: budget.limitUsd,
        spentUsd: spent,
        sentAt: new Date(now),
      })
      .onConflictDoNothing()
      .returning({ id: budgetAlerts.keyId });
    if (claimed.length === 0) continue;
    const alert: BudgetAlert = {
      type: "budget.threshold_reached",
      key_kind: kind,
      key_id: keyId,
      threshold_percent: threshold,
      limit_usd: budget.limitUsd,
      spent_usd: spent,
      spent_percent: Math.round((spent / budget.limitUsd) * 10_000) / 100,
      period: budget.period,
      period_start: new Date(budget.periodStart).toISOString(),
      sent_at: new Date(now).toISOString(),
    };
    if (await post(url, alert)) {
      sent++;
      continue;
    }
    // Not delivered: release the claim so the key's next batch tries again (at least once beats never).
    console.error(`budget alert for ${kind} ${keyId} at ${threshold}% not delivered; will retry`);
    await db.delete(budgetAlerts).where(claimKey(threshold));
  }
  return sent;
}

/**
 * After a batch is written: for every gateway key and virtual key that spent money in it and has a budget, send
 * the webhook of each threshold its period's spend has reached and that was not sent yet for this period. `events`
 * are all the batch's written events, redelivered ones included (their spend may be committed while their alerts
 * never ran); budget_alerts makes a repeat check send nothing twice. Off without BUDGET_ALERT_WEBHOOK_URL. Returns
 * how many alerts were delivered.
 */
export async function sendBudgetAlerts(
  db: Db,
  env: Env,
  events: readonly LogEvent[],
  source: BudgetSource,
  now = Date.now(),
): Promise<number> {
  const url = webhookUrl(env);
  if (!url) return 0;
  const thresholds = alertThresholds(env);
  const subjects = new Map<string, Subject>();
  for (const event of events) {
    if (!((event.cost.usd ?? 0) > 0)) continue;
    if (event.gateway_key_id)
      subjects.set(`g:${event.gateway_key_id}`, { kind: "gateway_key", id: event.gateway_key_id });
    if (event.virtual_key_id)
      subjects.set(`v:${event.virtual_key_id}`, { kind: "virtual_key", id: event.virtual_key_id });
  }
  let sent = 0;
  for (const subject of subjects.values()) {
    const budget = await source.budgetFor(subject.kind, subject.id);
    if (budget && budget.limitUsd > 0) sent += await alertKey(db, url, thresholds, subject, budget, now);
  }
  return sent;
}
