import { Hono } from "hono";
import { metricTotals } from "../../schema/db";
import { guardrailCheckTotals } from "../../schema/db/guardrails";
import { renderGuardrailChecks } from "../observability/prometheus-guardrails";
import { countersOf, summedCounters } from "../observability/counters";
import { PROMETHEUS_CONTENT_TYPE, renderPrometheus } from "../observability/prometheus";
import { adminAuth } from "./auth";
import type { AdminEnv } from "./context";
import { openDb } from "../storage/db";

/**
 * GET /metrics (mounted at the root, where scrapers look): Prometheus text from the lifetime counters, behind the
 * admin token (`authorization: Bearer <ADMIN_TOKEN>` in the scrape config) since key ids and spend are in it.
 */
export const metrics = new Hono<AdminEnv>();

metrics.use("*", adminAuth());
metrics.get("/", async (c) => {
  const rows = await openDb(c.env)
    .select({
      provider: metricTotals.provider,
      model: metricTotals.model,
      key: metricTotals.gatewayKey,
      ...summedCounters(metricTotals),
    })
    .from(metricTotals)
    .groupBy(metricTotals.provider, metricTotals.model, metricTotals.gatewayKey);
  const body = renderPrometheus(
    rows.map((row) => ({ provider: row.provider, model: row.model, key: row.key, counters: countersOf(row) })),
  );
  const checks = await openDb(c.env)
    .select()
    .from(guardrailCheckTotals)
    .orderBy(guardrailCheckTotals.check, guardrailCheckTotals.verdict);
  return c.body(body + renderGuardrailChecks(checks), 200, { "content-type": PROMETHEUS_CONTENT_TYPE });
});
