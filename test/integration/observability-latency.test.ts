import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { parsePrometheus, select } from "../unit/observability-prom-parser";
import { ADMIN_TOKEN } from "./admin-helpers";
import { deliver, makeEvent, privateHour } from "./observability-helpers";

/** A fast gateway's latency reads as what it is: buckets at 5, 10 and 25 ms in rollups, analytics and /metrics. */

async function admin(path: string): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await app.fetch(
    new Request(`http://gateway.test${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }),
    env,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

// Latencies 2, 3, 7 and 20 ms: two in <= 5 ms, one in (5, 10], one in (10, 25].
const LATENCIES = [2, 3, 7, 20];

async function seeded() {
  const hour = privateHour();
  const key = `key-${crypto.randomUUID()}`;
  const events = LATENCIES.map((ms, i) =>
    makeEvent({
      started_at: hour + i,
      gateway_key_id: key,
      latency: { total_ms: ms, ttft_ms: null, upstream_ms: null, gateway_overhead_ms: null },
    }),
  );
  await deliver(events);
  return { hour, key };
}

describe("latency buckets below 50 ms", () => {
  it("are rolled up, and analytics p50/p95 interpolate inside them", async () => {
    const { hour, key } = await seeded();
    const row = await env.DB.prepare(
      "SELECT lat_le5, lat_le10, lat_le25, lat_b0 FROM log_rollups WHERE dimension = 'key' AND value = ? AND hour = ?",
    )
      .bind(key, hour)
      .first();
    expect(row).toEqual({ lat_le5: 2, lat_le10: 1, lat_le25: 1, lat_b0: 0 });

    const range = `from=${new Date(hour).toISOString()}&to=${new Date(hour + 3_600_000).toISOString()}`;
    const body = (await (await admin(`/admin/analytics?group_by=key&interval=hour&${range}`)).json()) as {
      groups: Array<{ value: string; totals: { latency_p50_ms: number; latency_p95_ms: number } }>;
    };
    const mine = body.groups.find((g) => g.value === key);
    // p50: rank 2 of 4, the whole <= 5 ms bucket (2) -> 5. p95: rank 3.8 -> 0.8 into (10, 25] -> 10 + 15 * 0.8 = 22.
    // With 50 ms as the first bound they read 25 and 47.5.
    expect(mine?.totals).toMatchObject({ latency_p50_ms: 5, latency_p95_ms: 22 });
  });

  it("are exposed as le 0.005, 0.01 and 0.025 by GET /metrics", async () => {
    const { key } = await seeded();
    const metrics = parsePrometheus(await (await admin("/metrics")).text());
    const buckets = select(metrics, "ai_gateway_request_duration_seconds_bucket", { key });
    expect(buckets.slice(0, 4).map((b) => [b.labels.le, b.value])).toEqual([
      ["0.005", 2],
      ["0.01", 3],
      ["0.025", 4],
      ["0.05", 4],
    ]);
  });
});
