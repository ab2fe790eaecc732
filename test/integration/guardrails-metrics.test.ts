import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { parsePrometheus, select } from "../unit/observability-prom-parser";
import { ADMIN_TOKEN } from "./admin-helpers";
import { gateway } from "./harness";
import { deliver, makeEvent } from "./observability-helpers";

/** ai_gateway_guardrail_checks_total{check, verdict}: filled by the log consumer from each row's hook_results. */

const scrape = () => gateway({ method: "GET", path: "/metrics", headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });

const check = (id: string, verdict: boolean) => ({
  id,
  verdict,
  data: null,
  error: null,
  execution_time: 0.1,
  transformed: false,
});
const hook = (checks: ReturnType<typeof check>[]) => ({
  id: "h",
  type: "guardrail",
  verdict: checks.every((c) => c.verdict),
  deny: false,
  async: false,
  transformed: false,
  execution_time: 0.2,
  checks,
});

describe("ai_gateway_guardrail_checks_total", () => {
  it("counts each check result by id and verdict, input and output hooks alike, redeliveries once", async () => {
    // Unique ids: the counters are lifetime totals shared by every test of the file.
    const regex = `default.regexMatch-${crypto.randomUUID().slice(0, 8)}`;
    const pii = `default.pii-${crypto.randomUUID().slice(0, 8)}`;
    const flagged = makeEvent({
      hook_results: {
        before_request_hooks: [hook([check(regex, false), check(pii, true)])],
        after_request_hooks: [hook([check(regex, true)])],
      },
    });
    const passed = makeEvent({
      hook_results: { before_request_hooks: [hook([check(regex, false)])], after_request_hooks: [] },
    });
    const none = makeEvent({ hook_results: null });
    await deliver([flagged, passed, none]);
    await deliver([flagged], { attempts: 2 }); // a redelivery: already written, not counted again

    const res = await scrape();
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain("# TYPE ai_gateway_guardrail_checks_total counter");
    const metrics = parsePrometheus(text);
    const value = (labels: Record<string, string>) =>
      select(metrics, "ai_gateway_guardrail_checks_total", labels)[0]?.value;
    expect(value({ check: regex, verdict: "fail" })).toBe(2);
    expect(value({ check: regex, verdict: "pass" })).toBe(1);
    expect(value({ check: pii, verdict: "pass" })).toBe(1);
    expect(select(metrics, "ai_gateway_guardrail_checks_total", { check: pii, verdict: "fail" })).toHaveLength(0);

    const stored = await env.DB.prepare('SELECT "count" FROM guardrail_check_totals WHERE "check" = ? AND verdict = ?')
      .bind(regex, "fail")
      .first<{ count: number }>();
    expect(stored?.count).toBe(2);
  });
});
