import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import type { LogEvent } from "../../src/observability/event";
import { ADMIN_TOKEN, expectError } from "./admin-helpers";
import { deliver, makeEvent, privateHour } from "./observability-helpers";

/**
 * GET /admin/analytics?group_by=metadata.<any key>: every metadata key a request carried is rolled up (bounded),
 * not only ANALYTICS_METADATA_KEY. Events go through the real consumer; answers are checked against hand sums and
 * against the metadata_rollups rows in D1.
 */

const NO_KEY = { ANALYTICS_METADATA_KEY: "" };

async function admin(path: string, vars: Partial<Env> = NO_KEY): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await app.fetch(
    new Request(`http://gateway.test${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }),
    { ...env, ...vars },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

interface Block {
  requests: number;
  errors: number;
  prompt_tokens: number;
  cost_usd: number;
  cache_hits: number;
  latency_p50_ms: number | null;
}
interface Analytics {
  group_by: string | null;
  totals: Block;
  series: Array<Block & { start: string }>;
  groups: Array<{ value: string; totals: Block; series: Array<Block & { start: string }> }> | null;
  groups_truncated: boolean;
}

async function analyticsOf(groupBy: string, hour: number, extra = "", vars: Partial<Env> = NO_KEY): Promise<Analytics> {
  const range = `from=${new Date(hour).toISOString()}&to=${new Date(hour + 3_600_000).toISOString()}`;
  const res = await admin(
    `/admin/analytics?group_by=${encodeURIComponent(groupBy)}&interval=hour&${range}${extra}`,
    vars,
  );
  const text = await res.text();
  expect(res.status, text).toBe(200);
  return JSON.parse(text) as Analytics;
}

const spend = (usd: number): Pick<LogEvent, "cost"> => ({
  cost: { usd, unpriced: false, priced_as: "openai/gpt-4o-mini", tier: "base" },
});

interface StoredRow {
  value: string;
  slot: number;
  requests: number;
  cost_usd: number;
}

async function storedRows(key: string, hour: number): Promise<StoredRow[]> {
  const sql = "SELECT value, slot, requests, cost_usd FROM metadata_rollups WHERE key = ? AND hour = ? ORDER BY value";
  return (await env.DB.prepare(sql).bind(key, hour).all<StoredRow>()).results;
}

/** Deliver events in consumer batches of the given sizes (in order). */
async function deliverInBatches(events: LogEvent[], sizes: number[]): Promise<void> {
  let at = 0;
  for (const size of sizes) {
    await deliver(events.slice(at, at + size), { env: { ...env, ...NO_KEY } });
    at += size;
  }
  expect(at).toBe(events.length);
}

describe("analytics by any metadata key", () => {
  it("groups the same requests by two different keys, exactly, without ANALYTICS_METADATA_KEY", async () => {
    const hour = privateHour();
    const events = [
      makeEvent({
        started_at: hour + 1,
        metadata: { team: "a", env: "prod" },
        ...spend(0.01),
        latency: { total_ms: 40, ttft_ms: null, upstream_ms: 30, gateway_overhead_ms: 10 },
      }),
      makeEvent({
        started_at: hour + 2,
        metadata: { team: "b", env: "prod" },
        ...spend(0.02),
        is_error: true,
        status: 502,
      }),
      makeEvent({ started_at: hour + 3, metadata: { team: "a", env: "dev" }, ...spend(0.04) }),
      makeEvent({ started_at: hour + 4, metadata: {}, ...spend(0.08) }), // no metadata: in the totals, in no group
    ];
    await deliver(events, { env: { ...env, ...NO_KEY } });

    const team = await analyticsOf("metadata.team", hour);
    expect(team.totals.requests).toBe(4);
    expect(team.totals.cost_usd).toBeCloseTo(0.15, 10);
    expect(team.groups?.map((g) => [g.value, g.totals.requests, g.totals.errors, g.totals.cost_usd])).toEqual([
      ["a", 2, 0, 0.05],
      ["b", 1, 1, 0.02],
    ]);
    expect(team.groups?.[0]?.series.map((p) => [p.start, p.requests])).toEqual([[new Date(hour).toISOString(), 2]]);

    const envs = await analyticsOf("metadata.env", hour);
    expect(envs.groups?.map((g) => [g.value, g.totals.requests, g.totals.cost_usd, g.totals.prompt_tokens])).toEqual([
      ["dev", 1, 0.04, 10],
      ["prod", 2, 0.03, 20],
    ]);
    // The histogram is kept too: prod = 40 ms and 100 ms.
    expect(envs.groups?.[1]?.totals.latency_p50_ms).toBe(50);

    // A redelivery (the consumer died after the commit) counts nothing twice.
    await deliver(events, { attempts: 2, env: { ...env, ...NO_KEY } });
    const again = await analyticsOf("metadata.team", hour);
    expect(again.groups?.map((g) => [g.value, g.totals.requests])).toEqual([
      ["a", 2],
      ["b", 1],
    ]);
  });

  it("an unknown key gives empty groups (with the window's totals), not an error", async () => {
    const hour = privateHour();
    await deliver([makeEvent({ started_at: hour + 1, metadata: { team: "a" } })], { env: { ...env, ...NO_KEY } });
    const body = await analyticsOf("metadata.never_sent", hour);
    expect(body.group_by).toBe("metadata.never_sent");
    expect(body.groups).toEqual([]);
    expect(body.groups_truncated).toBe(false);
    expect(body.totals.requests).toBe(1);
  });

  it("keeps 1000 values per key and hour; later new values count as __other__, totals preserved", async () => {
    const hour = privateHour();
    const name = (i: number) => `v${String(i).padStart(4, "0")}`;
    // 1050 distinct values, then a value already kept and a caller's own "__other__".
    const events = Array.from({ length: 1050 }, (_, i) =>
      makeEvent({ started_at: hour + i, metadata: { req: name(i + 1) }, ...spend(0.001) }),
    );
    events.push(makeEvent({ started_at: hour + 2000, metadata: { req: name(7) }, ...spend(0.001) }));
    events.push(makeEvent({ started_at: hour + 2001, metadata: { req: "__other__" }, ...spend(0.001) }));
    // The 10th batch (v0951..v1050) crosses the bound: its first 50 values are kept, the rest are not.
    const nextHour = makeEvent({ started_at: hour + 3_600_000, metadata: { req: name(1050) } }); // a new hour: room again
    await deliverInBatches([...events, nextHour], [50, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 3]);
    expect(await storedRows("req", hour + 3_600_000)).toEqual([
      { value: name(1050), slot: 1, requests: 1, cost_usd: 0.0000045 },
    ]);

    const rows = await storedRows("req", hour);
    const other = rows.find((r) => r.value === "__other__");
    expect(rows).toHaveLength(1001);
    expect(other).toMatchObject({ slot: 0, requests: 51 });
    expect(
      rows
        .filter((r) => r.value !== "__other__")
        .map((r) => r.slot)
        .sort((a, b) => a - b),
    ).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    expect(rows.find((r) => r.value === name(1000))).toMatchObject({ requests: 1 });
    expect(rows.find((r) => r.value === name(1001))).toBeUndefined();
    expect(rows.find((r) => r.value === name(7))).toMatchObject({ requests: 2 });
    expect(rows.reduce((sum, r) => sum + r.requests, 0)).toBe(events.length);

    const body = await analyticsOf("metadata.req", hour, "&limit=2");
    expect(body.totals.requests).toBe(events.length);
    expect(body.totals.cost_usd).toBeCloseTo(events.length * 0.001, 10);
    expect(body.groups?.map((g) => [g.value, g.totals.requests, g.totals.cost_usd])).toEqual([
      ["__other__", 51, 0.051],
      [name(7), 2, 0.002],
    ]);
    expect(body.groups_truncated).toBe(true);
  });

  it("rolls up at most 16 keys per request (in key order), skips `_` keys but `_user`, cuts values to 128 characters", async () => {
    const hour = privateHour();
    const many = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${String(i).padStart(2, "0")}`, "x"]));
    await deliver(
      [
        makeEvent({
          started_at: hour + 1,
          metadata: { ...many, _user: "u1", _trace_note: "skip", long: "y".repeat(300) },
        }),
        makeEvent({
          started_at: hour + 2,
          metadata: { "bad key": "skip", "ok.Key_1-x": "kept", _user: "u1", long: "y".repeat(300) },
        }),
      ],
      { env: { ...env, ...NO_KEY } },
    );
    const keys = (
      await env.DB.prepare("SELECT DISTINCT key FROM metadata_rollups WHERE hour = ? ORDER BY key")
        .bind(hour)
        .all<{ key: string }>()
    ).results;
    // Key order is by code point: `_user` < `k00` … < `long`; the first request's 16 are `_user`, k00..k14.
    expect(keys.map((k) => k.key)).toEqual([
      "_user",
      ...Array.from({ length: 15 }, (_, i) => `k${String(i).padStart(2, "0")}`),
      "long",
      "ok.Key_1-x",
    ]);
    expect(await storedRows("long", hour)).toEqual([
      { value: "y".repeat(128), slot: 1, requests: 1, cost_usd: 0.0000045 },
    ]);
    expect((await storedRows("_user", hour)).map((r) => [r.value, r.requests])).toEqual([["u1", 2]]);

    const body = await analyticsOf("metadata._user", hour);
    expect(body.groups?.map((g) => [g.value, g.totals.requests])).toEqual([["u1", 2]]);
  });

  it("a bad group_by is a 400 naming the parameter", async () => {
    for (const bad of ["metadata.", "metadata.a b", 'metadata.a"b', `metadata.${"k".repeat(65)}`, "color"]) {
      const error = await expectError(await admin(`/admin/analytics?group_by=${encodeURIComponent(bad)}`), 400, {
        param: "group_by",
        type: "invalid_request_error",
      });
      expect(error.message).toContain("metadata.<key>");
    }
  });

  it("ANALYTICS_METADATA_KEY still answers from log_rollups, with its '' group for requests without the key", async () => {
    const hour = privateHour();
    const vars = { ANALYTICS_METADATA_KEY: "team" };
    await deliver([makeEvent({ started_at: hour + 1, metadata: { team: "a" } }), makeEvent({ started_at: hour + 2 })], {
      env: { ...env, ...vars },
    });
    const body = await analyticsOf("metadata.team", hour, "", vars);
    expect(body.groups?.map((g) => [g.value, g.totals.requests]).sort()).toEqual([
      ["", 1],
      ["a", 1],
    ]);
  });
});
