import { env } from "cloudflare:workers";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import type { BudgetAlert } from "../../src/observability/alerts";
import { d1BudgetSource, periodStartOf, type BudgetSource } from "../../src/observability/budget-source";
import { openDb } from "../../src/storage/db";
import { upstream, useFakeUpstreams } from "./harness";
import { deliver, makeEvent } from "./observability-helpers";

useFakeUpstreams();

/** Budget alerts: a JSON webhook once per threshold per period. */

const HOOK = "https://hooks.test/budget";
const VARS = { BUDGET_ALERT_WEBHOOK_URL: HOOK, BUDGET_ALERT_THRESHOLDS: "50,80,100" };

function webhook(statuses: number[] = []) {
  const received: BudgetAlert[] = [];
  upstream.use(
    http.post(HOOK, async ({ request }) => {
      received.push((await request.json()) as BudgetAlert);
      return new HttpResponse(null, { status: statuses.shift() ?? 204 });
    }),
  );
  return received;
}

const spend = (key: string, usd: number) =>
  makeEvent({ gateway_key_id: key, cost: { usd, unpriced: false, priced_as: "openai/gpt-4o", tier: "base" } });

function budgets(key: string, limitUsd: number): BudgetSource {
  return {
    budgetFor: async (kind, id) =>
      kind === "gateway_key" && id === key
        ? { limitUsd, period: "monthly", periodStart: periodStartOf("monthly", Date.now()) }
        : null,
  };
}

describe("budget alerts", () => {
  it("fire once per threshold as spend crosses 50, 80 and 100 percent", async () => {
    const key = `key-${crypto.randomUUID()}`;
    const received = webhook();
    const options = { env: { ...env, ...VARS }, deps: { budgets: budgets(key, 1) } };
    await deliver([spend(key, 0.3), spend(key, 0.25)], options); // 0.55: 50 %
    expect(received.map((a) => a.threshold_percent)).toEqual([50]);
    expect(received[0]).toMatchObject({
      type: "budget.threshold_reached",
      key_kind: "gateway_key",
      key_id: key,
      limit_usd: 1,
      period: "monthly",
      spent_percent: 55,
    });
    expect(received[0]?.spent_usd).toBeCloseTo(0.55, 10);

    const third = [spend(key, 0.3)];
    await deliver(third, options); // 0.85: 80 %
    await deliver([spend(key, 0.01)], options); // 0.86: nothing new
    await deliver(third, { ...options, attempts: 2 }); // redelivery: no new spend, nothing new
    await deliver([spend(key, 0.2)], options); // 1.06: 100 %
    await deliver([spend(key, 0.5)], options); // past every threshold already sent
    expect(received.map((a) => a.threshold_percent)).toEqual([50, 80, 100]);
  });

  it("sends every threshold a single batch jumps over, and retries one whose webhook failed", async () => {
    const key = `key-${crypto.randomUUID()}`;
    const received = webhook([204, 500]); // the 80 % alert fails once
    const options = { env: { ...env, ...VARS }, deps: { budgets: budgets(key, 2) } };
    await deliver([spend(key, 1.7)], options); // 85 %: 50 sent, 80 failed
    expect(received.map((a) => a.threshold_percent)).toEqual([50, 80]);
    await deliver([spend(key, 0.01)], options); // the key's next batch: 80 again
    expect(received.map((a) => a.threshold_percent)).toEqual([50, 80, 80]);
    await deliver([spend(key, 0.01)], options);
    expect(received).toHaveLength(3);
  });

  it("alerts on a redelivery when the consumer died after writing the batch and before checking budgets", async () => {
    const key = `key-${crypto.randomUUID()}`;
    const received = webhook();
    const batch = [spend(key, 0.6)];
    // First delivery: the rows and rollups are committed, then nothing (no webhook configured stands in for the
    // crash: the alerts step never ran). The runtime redelivers the unacked message.
    await deliver(batch, { deps: { budgets: budgets(key, 1) } });
    expect(received).toEqual([]);
    const options = { env: { ...env, ...VARS }, deps: { budgets: budgets(key, 1) }, attempts: 2 };
    await deliver(batch, options);
    expect(received.map((a) => a.threshold_percent)).toEqual([50]);
    expect(received[0]?.spent_usd).toBeCloseTo(0.6, 10); // counted once: the redelivery wrote nothing
    await deliver(batch, { ...options, attempts: 3 });
    expect(received).toHaveLength(1); // once per threshold per period
  });

  it("stays quiet without a webhook URL or without a budget", async () => {
    const key = `key-${crypto.randomUUID()}`;
    webhook();
    await deliver([spend(key, 5)], { deps: { budgets: budgets(key, 1) } }); // no URL: msw would fail on a POST
    await deliver([spend(`other-${key}`, 5)], { env: { ...env, ...VARS }, deps: { budgets: budgets(key, 1) } });
  });

  it("reads budgets from governance's gateway_keys table", async () => {
    const id = `gk-${crypto.randomUUID()}`;
    const now = Date.UTC(2026, 10, 19, 12);
    await env.DB.prepare(
      "INSERT INTO gateway_keys (id, name, key_hash, key_prefix, metadata, budget_usd, budget_period, created_at, updated_at, created_by) VALUES (?, 'n', ?, 'pk', '{}', 25, 'weekly', 0, 0, 'admin:test')",
    )
      .bind(id, `hash-${id}`)
      .run();
    const source = d1BudgetSource(openDb(env), () => now);
    expect(await source.budgetFor("gateway_key", id)).toEqual({
      limitUsd: 25,
      period: "weekly",
      periodStart: Date.UTC(2026, 10, 16),
    });
    expect(await source.budgetFor("gateway_key", "missing")).toBeNull();
    expect(await source.budgetFor("virtual_key", id)).toBeNull();
  });
});
