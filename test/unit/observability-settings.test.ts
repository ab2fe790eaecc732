import { describe, expect, it } from "vitest";
import { periodStartOf } from "../../src/observability/budget-source";
import { retryDelay } from "../../src/observability/consumer";
import { quantile } from "../../src/observability/histogram";
import {
  alertThresholds,
  analyticsMetadataKey,
  bodyMaxBytes,
  otlpHeaders,
  otlpTracesUrl,
} from "../../src/observability/settings";

const env = (vars: Partial<Record<keyof Env, string>>) => vars as unknown as Env;

describe("observability settings", () => {
  it("parses thresholds, dropping junk and sorting", () => {
    expect(alertThresholds(env({ BUDGET_ALERT_THRESHOLDS: "100, 50,abc,80,50,-3" }))).toEqual([50, 80, 100]);
    expect(alertThresholds(env({ BUDGET_ALERT_THRESHOLDS: "" }))).toEqual([50, 80, 100]);
  });

  it("reads OTLP headers as k=v pairs with %-decoding, and appends /v1/traces to the endpoint", () => {
    expect(otlpHeaders(env({ OTEL_EXPORTER_OTLP_HEADERS: "Authorization=Basic%20abc, x-team = obs ,broken" }))).toEqual(
      {
        Authorization: "Basic abc",
        "x-team": "obs",
      },
    );
    expect(otlpTracesUrl(env({ OTEL_EXPORTER_OTLP_ENDPOINT: "" }))).toBeNull();
    expect(otlpTracesUrl(env({ OTEL_EXPORTER_OTLP_ENDPOINT: "https://otel.example/" }))).toBe(
      "https://otel.example/v1/traces",
    );
    expect(otlpTracesUrl(env({ OTEL_EXPORTER_OTLP_ENDPOINT: "https://otel.example/v1/traces" }))).toBe(
      "https://otel.example/v1/traces",
    );
  });

  it("clamps the body limit and validates the metadata key", () => {
    expect(bodyMaxBytes(env({ LOG_BODY_MAX_BYTES: "nope" }))).toBe(16_384);
    expect(bodyMaxBytes(env({ LOG_BODY_MAX_BYTES: "10" }))).toBe(256);
    expect(bodyMaxBytes(env({ LOG_BODY_MAX_BYTES: "1000000" }))).toBe(49_152);
    expect(analyticsMetadataKey(env({ ANALYTICS_METADATA_KEY: "team" }))).toBe("team");
    expect(analyticsMetadataKey(env({ ANALYTICS_METADATA_KEY: 'te"am' }))).toBeNull();
  });

  it("starts budget periods on UTC day, ISO week and month boundaries", () => {
    const now = Date.UTC(2026, 10, 19, 15, 30); // Thursday 19 Nov 2026
    expect(new Date(periodStartOf("daily", now)).toISOString()).toBe("2026-11-19T00:00:00.000Z");
    expect(new Date(periodStartOf("weekly", now)).toISOString()).toBe("2026-11-16T00:00:00.000Z");
    expect(new Date(periodStartOf("monthly", now)).toISOString()).toBe("2026-11-01T00:00:00.000Z");
    expect(periodStartOf("none", now)).toBe(0);
  });
});

describe("consumer retries", () => {
  it("back off 10 s, 20 s, 40 s ... up to 5 minutes", () => {
    expect([1, 2, 3, 4, 5, 6, 9].map(retryDelay)).toEqual([10, 20, 40, 80, 160, 300, 300]);
  });
});

describe("latency quantiles from histogram buckets", () => {
  it("interpolates inside the bucket holding the rank", () => {
    // Buckets: <=5, (5,10], (10,25], (25,50], (50,100], (100,250], ... : 10 samples in (25,50] ms, 10 in (100,250].
    const counts = [0, 0, 0, 10, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    expect(quantile(counts, 0.5)).toBe(50); // rank 10: the top of (25, 50]
    expect(quantile(counts, 0.95)).toBe(100 + 150 * (9 / 10)); // rank 19 of 20: 9th of 10 in (100, 250]
    expect(quantile([2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 0.5)).toBe(5); // a fast gateway reads as fast
    expect(quantile(new Array(15).fill(0), 0.5)).toBeNull();
    expect(quantile([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3], 0.5)).toBe(120_000); // overflow: "slower than 120 s"
  });
});
