import { describe, expect, it } from "vitest";
import { countersOf } from "../../src/observability/counters";
import { renderPrometheus } from "../../src/observability/prometheus";
import { parsePrometheus, select } from "./observability-prom-parser";

const counters = countersOf({
  requests: 5,
  errors: 1,
  promptTokens: 100,
  completionTokens: 40,
  cachedTokens: 30,
  costUsd: 0.0125,
  unpriced: 0,
  latencySumMs: 2600,
  latLe5: 1,
  latB0: 1,
  latB2: 2,
  latB11: 1,
});

describe("Prometheus exposition", () => {
  it("parses, with cumulative le buckets, +Inf equal to _count, and _sum in seconds", () => {
    const text = renderPrometheus([{ provider: "openai", model: 'odd"model\\name', key: "", counters }]);
    const parsed = parsePrometheus(text);
    expect(parsed.types.get("ai_gateway_requests_total")).toBe("counter");
    expect(parsed.types.get("ai_gateway_request_duration_seconds")).toBe("histogram");
    const labels = { provider: "openai", model: 'odd"model\\name', key: "" };
    expect(select(parsed, "ai_gateway_requests_total", labels)[0]?.value).toBe(5);
    expect(select(parsed, "ai_gateway_tokens_total", { ...labels, type: "cached_read" })[0]?.value).toBe(30);
    expect(select(parsed, "ai_gateway_cost_usd_total", labels)[0]?.value).toBe(0.0125);
    const buckets = select(parsed, "ai_gateway_request_duration_seconds_bucket", labels);
    expect(buckets.map((b) => [b.labels.le, b.value])).toEqual([
      ["0.005", 1],
      ["0.01", 1],
      ["0.025", 1],
      ["0.05", 2],
      ["0.1", 2],
      ["0.25", 4],
      ["0.5", 4],
      ["1", 4],
      ["2.5", 4],
      ["5", 4],
      ["10", 4],
      ["30", 4],
      ["60", 4],
      ["120", 4],
      ["+Inf", 5],
    ]);
    expect(select(parsed, "ai_gateway_request_duration_seconds_count", labels)[0]?.value).toBe(5);
    expect(select(parsed, "ai_gateway_request_duration_seconds_sum", labels)[0]?.value).toBe(2.6);
  });

  it("declares every family even with no traffic yet", () => {
    const parsed = parsePrometheus(renderPrometheus([]));
    expect(parsed.samples).toEqual([]);
    expect(parsed.types.size).toBe(9);
    expect(parsed.types.get("ai_gateway_guardrail_requests_total")).toBe("counter");
  });
});
