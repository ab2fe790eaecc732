import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import type { LogEvent } from "../../src/observability/event";
import { ADMIN_TOKEN, expectError } from "./admin-helpers";
import { deliver, makeEvent, privateHour } from "./observability-helpers";

/** GET /admin/analytics against totals computed by hand from the events the consumer inserted. */

const VARS = { ANALYTICS_METADATA_KEY: "team" };

async function admin(path: string, vars: Partial<Env> = VARS): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await app.fetch(
    new Request(`http://gateway.test${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }),
    { ...env, ...vars },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

interface Metrics {
  requests: number;
  errors: number;
  prompt_tokens: number;
  completion_tokens: number;
  cached_tokens: number;
  total_tokens: number;
  cost_usd: number;
  unpriced_requests: number;
  latency_p50_ms: number | null;
  latency_p95_ms: number | null;
}
interface Point extends Metrics {
  start: string;
}
interface Analytics {
  group_by: string | null;
  interval: string;
  from: string;
  to: string;
  totals: Metrics;
  series: Point[];
  groups: Array<{ value: string; totals: Metrics; series: Point[] }> | null;
  groups_truncated: boolean;
}

function byHand(events: LogEvent[]) {
  return {
    requests: events.length,
    errors: events.filter((e) => e.is_error).length,
    prompt_tokens: events.reduce((s, e) => s + e.tokens.prompt, 0),
    completion_tokens: events.reduce((s, e) => s + e.tokens.completion, 0),
    cached_tokens: events.reduce((s, e) => s + e.tokens.cached_read, 0),
    unpriced_requests: events.filter((e) => e.cost.unpriced).length,
  };
}
const costByHand = (events: LogEvent[]) => events.reduce((s, e) => s + (e.cost.usd ?? 0), 0);

/** 3 hours of traffic in two UTC days, over two providers, three models, two keys and a team. */
function traffic(start: number): LogEvent[] {
  const H = 3_600_000;
  const spec: Array<[number, string, string, string, string | null, boolean, number, number | null]> = [
    // hour offset, provider, model, key, team, error, latency ms, cost
    [0, "openai", "gpt-4o", "key-a", "search", false, 30, 0.01],
    [0, "openai", "gpt-4o", "key-a", "search", false, 40, 0.02],
    [0, "openai", "gpt-4o-mini", "key-b", "ads", true, 200, 0],
    [1, "anthropic", "claude-sonnet-4-5", "key-a", "search", false, 220, 0.05],
    [1, "anthropic", "claude-sonnet-4-5", "key-b", null, false, 3_000, 0.04],
    [25, "openai", "gpt-4o", "key-b", "ads", false, 45, null],
    [25, "anthropic", "claude-sonnet-4-5", "key-a", "search", true, 150, 0.03],
  ];
  return spec.map(([offset, provider, model, key, team, error, latency, usd], i) =>
    makeEvent({
      started_at: start + offset * H + i,
      provider,
      served_model: model,
      requested_model: model,
      gateway_key_id: key,
      metadata: team ? { team } : {},
      is_error: error,
      status: error ? 500 : 200,
      latency: { total_ms: latency, ttft_ms: null, upstream_ms: null, gateway_overhead_ms: null },
      tokens: {
        prompt: 100 + i,
        completion: 10 * i,
        cached_read: i,
        cache_write: 0,
        reasoning: 0,
        total: 100 + 11 * i,
        estimated: false,
      },
      cost:
        usd === null
          ? { usd: null, unpriced: true, priced_as: null, tier: null }
          : { usd, unpriced: false, priced_as: `${provider}/${model}`, tier: "base" },
    }),
  );
}

async function seeded() {
  // A private UTC day: start at its midnight so hour offsets 0, 1 and 25 land on two days.
  const day = Math.floor(privateHour() / 86_400_000) * 86_400_000;
  const events = traffic(day);
  await deliver(events, { env: { ...env, ...VARS } });
  return {
    day,
    events,
    range: `from=${new Date(day).toISOString()}&to=${new Date(day + 48 * 3_600_000).toISOString()}`,
  };
}

describe("GET /admin/analytics", () => {
  it("groups by provider, model, key and metadata.team: every group and the totals match the rows", async () => {
    const { events, range } = await seeded();
    for (const [groupBy, valueOf] of [
      ["provider", (e: LogEvent) => e.provider ?? ""],
      ["model", (e: LogEvent) => e.served_model ?? ""],
      ["key", (e: LogEvent) => e.gateway_key_id ?? ""],
      ["metadata.team", (e: LogEvent) => e.metadata.team ?? ""],
    ] as const) {
      const res = await admin(`/admin/analytics?group_by=${groupBy}&interval=day&${range}`);
      const body = (await res.json()) as Analytics;
      expect(res.status, JSON.stringify(body)).toBe(200);
      expect(body.totals).toMatchObject(byHand(events));
      expect(body.totals.cost_usd).toBeCloseTo(costByHand(events), 10);
      const values = [...new Set(events.map(valueOf))].sort();
      expect(body.groups?.map((g) => g.value).sort()).toEqual(values);
      for (const group of body.groups ?? []) {
        const mine = events.filter((e) => valueOf(e) === group.value);
        expect(group.totals, `${groupBy}=${group.value}`).toMatchObject(byHand(mine));
        expect(group.totals.cost_usd).toBeCloseTo(costByHand(mine), 10);
      }
    }
  });

  it("gives hourly and daily series, and latency p50/p95 from the histogram buckets", async () => {
    const { day, range } = await seeded();
    const daily = (await (await admin(`/admin/analytics?group_by=provider&interval=day&${range}`)).json()) as Analytics;
    expect(daily.series.map((p) => [p.start, p.requests])).toEqual([
      [new Date(day).toISOString(), 5],
      [new Date(day + 86_400_000).toISOString(), 2],
    ]);
    const hourly = (await (
      await admin(`/admin/analytics?group_by=provider&interval=hour&${range}`)
    ).json()) as Analytics;
    expect(hourly.series.map((p) => p.requests)).toEqual([3, 2, 2]);
    const openai = hourly.groups?.find((g) => g.value === "openai");
    expect(openai?.series.map((p) => p.requests)).toEqual([3, 1]);
    // Latencies 30, 40, 45 (<= 50 ms bucket), 150, 200, 220 ((100, 250]), 3000 ((2500, 5000]).
    // p50: rank 3.5 of 7 -> 0.5 into (100, 250] holding 3 -> 100 + 150 * 0.5 / 3 = 125.
    // p95: rank 6.65 -> 0.65 into (2500, 5000] holding 1 -> 2500 + 2500 * 0.65 = 4125.
    expect(daily.totals.latency_p50_ms).toBe(125);
    expect(daily.totals.latency_p95_ms).toBe(4125);
  });

  // Any metadata key is a group now (observability-metadata-analytics.test.ts), configured or not.
  it("rejects an unknown group, unknown parameters and a reversed range", async () => {
    await expectError(await admin("/admin/analytics?group_by=color"), 400, { param: "group_by" });
    await expectError(await admin("/admin/analytics?groupby=provider"), 400, {});
    await expectError(await admin("/admin/analytics?from=2030-01-02T00:00:00Z&to=2030-01-01T00:00:00Z"), 400, {
      param: "from",
    });
    await expectError(
      await admin("/admin/analytics?interval=hour&from=2030-01-01T00:00:00Z&to=2030-03-01T00:00:00Z"),
      400,
      { param: "from" },
    );
  });

  it("is behind the admin token", async () => {
    const res = await app.fetch(new Request("http://gateway.test/admin/analytics"), env, createExecutionContext());
    await expectError(res, 401, { code: "missing_admin_token" });
  });
});
