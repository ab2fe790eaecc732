import { describe, expect, it } from "vitest";
import { parsePrometheus, select } from "../unit/observability-prom-parser";
import { ADMIN_TOKEN } from "./admin-helpers";
import { gateway } from "./harness";
import { deliver, makeEvent } from "./observability-helpers";

/**
 * ai_gateway_guardrail_requests_total{provider, model, key, outcome}: the rollups' guardrail_denied and
 * guardrail_flagged counters (metric_totals, migration 0013) in the exposition text.
 */

const scrape = () => gateway({ method: "GET", path: "/metrics", headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });

const failedHook = (deny: boolean) => ({
  id: "h",
  type: "guardrail",
  verdict: false,
  deny,
  async: false,
  transformed: false,
  execution_time: 0.2,
  checks: [{ id: "default.pii", verdict: false, data: null, error: null, execution_time: 0.1, transformed: false }],
});

describe("ai_gateway_guardrail_requests_total", () => {
  it("counts 446 denials and flags per provider, model and key; a denial is never also a flag", async () => {
    // A gateway key of its own: metric_totals are lifetime counters shared by every test.
    const key = `gk-${crypto.randomUUID()}`;
    const on = { gateway_key_id: key };
    const labels = { provider: "openai", model: "gpt-4o-mini", key };
    const denied = makeEvent({
      ...on,
      status: 446,
      is_error: true,
      denied_by: "guardrail",
      hook_results: { before_request_hooks: [failedHook(true)], after_request_hooks: [] },
    });
    const flagged = makeEvent({
      ...on,
      status: 246,
      hook_results: { before_request_hooks: [], after_request_hooks: [failedHook(false)] },
    });
    const clean = makeEvent(on);
    await deliver([denied, denied, flagged, clean].map((e) => ({ ...e, id: crypto.randomUUID() })));

    const res = await scrape();
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain("# TYPE ai_gateway_guardrail_requests_total counter");
    const metrics = parsePrometheus(text);
    const value = (outcome: string) =>
      select(metrics, "ai_gateway_guardrail_requests_total", { ...labels, outcome })[0]?.value;
    expect(value("denied")).toBe(2);
    expect(value("flagged")).toBe(1);
    expect(select(metrics, "ai_gateway_requests_total", labels)[0]?.value).toBe(4);
  });
});
