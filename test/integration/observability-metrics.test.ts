import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { parsePrometheus, select } from "../unit/observability-prom-parser";
import { ADMIN_TOKEN, expectError } from "./admin-helpers";
import { gateway } from "./harness";
import { deliver, makeEvent } from "./observability-helpers";

/** GET /metrics: Prometheus text from the lifetime counters, admin-authenticated. */

const scrape = (token: string | null = ADMIN_TOKEN) =>
  gateway({ method: "GET", path: "/metrics", headers: token ? { authorization: `Bearer ${token}` } : {} });

describe("GET /metrics", () => {
  it("exposes requests, errors, tokens, cost and a latency histogram by provider, model and key", async () => {
    const key = `key-${crypto.randomUUID()}`;
    const model = `model-${crypto.randomUUID()}`;
    const at = (latency: number, extra = {}) =>
      makeEvent({
        gateway_key_id: key,
        served_model: model,
        latency: { total_ms: latency, ttft_ms: null, upstream_ms: null, gateway_overhead_ms: null },
        ...extra,
      });
    await deliver([
      at(40),
      at(400, { is_error: true, status: 502, cost: { usd: 0, unpriced: false, priced_as: null, tier: null } }),
      at(7_000, {
        tokens: {
          prompt: 100,
          completion: 20,
          cached_read: 30,
          cache_write: 5,
          reasoning: 7,
          total: 120,
          estimated: false,
        },
      }),
    ]);
    const res = await scrape();
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const metrics = parsePrometheus(await res.text());
    // A model the price table does not know is labelled `other`: the label set stays bounded.
    const labels = { provider: "openai", model: "other", key };
    const value = (name: string, extra: Record<string, string> = {}) => {
      const found = select(metrics, name, { ...labels, ...extra });
      expect(found, `${name} ${JSON.stringify(extra)}`).toHaveLength(1);
      return found[0]?.value;
    };
    expect(value("ai_gateway_requests_total")).toBe(3);
    expect(value("ai_gateway_errors_total")).toBe(1);
    expect(value("ai_gateway_tokens_total", { type: "prompt" })).toBe(120);
    expect(value("ai_gateway_tokens_total", { type: "cached_read" })).toBe(30);
    expect(value("ai_gateway_tokens_total", { type: "reasoning" })).toBe(7);
    expect(value("ai_gateway_cost_usd_total")).toBeCloseTo(0.000009, 12);
    expect(value("ai_gateway_request_duration_seconds_bucket", { le: "0.05" })).toBe(1);
    expect(value("ai_gateway_request_duration_seconds_bucket", { le: "0.5" })).toBe(2);
    expect(value("ai_gateway_request_duration_seconds_bucket", { le: "5" })).toBe(2);
    expect(value("ai_gateway_request_duration_seconds_bucket", { le: "10" })).toBe(3);
    expect(value("ai_gateway_request_duration_seconds_bucket", { le: "+Inf" })).toBe(3);
    expect(value("ai_gateway_request_duration_seconds_count")).toBe(3);
    expect(value("ai_gateway_request_duration_seconds_sum")).toBeCloseTo(7.44, 10);
  });

  it("labels models by their price-table name, unknown ones as `other`; logs and analytics keep the raw model", async () => {
    const key = `key-${crypto.randomUUID()}`;
    const junk = Array.from({ length: 5 }, () => `client-chosen-${crypto.randomUUID()}`);
    const events = [
      ...junk.map((model) => makeEvent({ gateway_key_id: key, requested_model: model, served_model: model })),
      makeEvent({ gateway_key_id: key, requested_model: "gpt-4o-mini", served_model: "gpt-4o-mini" }),
      // Not in the table itself, priced as gpt-4o-mini (date suffix): one series with it, not one per spelling.
      makeEvent({
        gateway_key_id: key,
        requested_model: "GPT-4o-mini-2099-01-01",
        served_model: "GPT-4o-mini-2099-01-01",
      }),
    ];
    await deliver(events);
    const metrics = parsePrometheus(await (await scrape()).text());
    const series = select(metrics, "ai_gateway_requests_total", { key });
    expect(series.map((s) => [s.labels.model, s.value]).sort()).toEqual([
      ["gpt-4o-mini", 2],
      ["other", 5],
    ]);
    const logged = await env.DB.prepare("SELECT model FROM request_logs WHERE gateway_key_id = ? ORDER BY model")
      .bind(key)
      .all<{ model: string }>();
    expect(logged.results.map((r) => r.model)).toEqual([...junk, "gpt-4o-mini", "GPT-4o-mini-2099-01-01"].sort());
  });

  it("needs the admin token", async () => {
    await expectError(await scrape(null), 401, { code: "missing_admin_token" });
    await expectError(await scrape("wrong"), 401, { code: "invalid_admin_token" });
  });
});
