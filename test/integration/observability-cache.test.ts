import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { parsePrometheus, select } from "../unit/observability-prom-parser";
import { ADMIN_TOKEN, adminCall, json } from "./admin-helpers";
import {
  cachedCall,
  chatBody,
  completion,
  json as reply,
  serveChat,
  status,
  uniq,
  waitForEntries,
} from "./cache-fixtures";
import { gateway, useFakeUpstreams } from "./harness";
import { deliver, loggedRow, makeEvent, privateHour } from "./observability-helpers";

useFakeUpstreams();

/** Cache hits in the log: they cost 0, say what they saved and which entry served them, and spend no tokens. */

describe("a cache hit's log row", { timeout: 30_000 }, () => {
  it("has cost 0, the first request's cost as cache_saved_usd, and the cache key; the admin API shows both", async () => {
    const served = serveChat(() => reply(completion("Paris.")));
    const ns = uniq("obs-ns");
    const body = chatBody(`Capital of France? ${uniq("q")}`);
    const cache = { mode: "simple", max_age: 60 };
    const [missTrace, hitTrace] = [uniq("obs-miss"), uniq("obs-hit")];
    const first = await cachedCall({
      body,
      cache,
      headers: { "x-portkey-cache-namespace": ns, "x-portkey-trace-id": missTrace },
    });
    expect(status(first)).toBe("MISS");
    await first.text();
    await waitForEntries(1, `rc1:${ns}:`);
    const second = await cachedCall({
      body,
      cache,
      headers: { "x-portkey-cache-namespace": ns, "x-portkey-trace-id": hitTrace },
    });
    expect(status(second)).toBe("HIT");
    await second.text();
    expect(served.calls).toBe(1);

    const miss = await loggedRow(missTrace);
    const hit = await loggedRow(hitTrace);
    expect(miss).toMatchObject({ cache_status: "MISS", cache_saved_usd: null });
    expect(miss.cost_usd).toBeGreaterThan(0);
    expect(hit).toMatchObject({ cache_status: "HIT", cost_usd: 0, cost_unpriced: 0 });
    expect(hit.cache_saved_usd).toBeCloseTo(miss.cost_usd ?? Number.NaN, 12);
    expect(hit.cache_key).toMatch(new RegExp(`^rc1:${ns}:`));
    expect(hit.cache_key).toBe(miss.cache_key);
    // The hit's try called no provider: no upstream time, and the trail says the cache answered it.
    expect(JSON.parse(hit.attempts)).toMatchObject([{ status: 200, cached: true }]);
    expect(hit.upstream_ms).toBeNull();
    expect(JSON.parse(miss.attempts)).toMatchObject([{ status: 200, cached: false }]);
    expect(miss.upstream_ms).not.toBeNull();

    const detail = await json<{ data: Array<{ cache_key: string; cache_saved_usd: number; cost: { usd: number } }> }>(
      await adminCall({ path: `/logs/${hitTrace}` }),
    );
    expect(detail.data[0]).toMatchObject({
      cache_key: hit.cache_key,
      cache_saved_usd: hit.cache_saved_usd,
      cost: { usd: 0 },
    });
    const listed = await json<{ data: Array<{ id: string; cache_key: string; cache_saved_usd: number }> }>(
      await adminCall({ path: `/logs?trace_id=${hitTrace}` }),
    );
    expect(listed.data[0]).toMatchObject({ cache_key: hit.cache_key, cache_saved_usd: hit.cache_saved_usd });
  });
});

describe("cache hits in rollups and /metrics", () => {
  it("are counted with their savings, and their tokens are left out of the token counters", async () => {
    const hour = privateHour();
    const key = `key-${crypto.randomUUID()}`;
    const tokens = {
      prompt: 1000,
      completion: 500,
      cached_read: 100,
      cache_write: 0,
      reasoning: 20,
      total: 1500,
      estimated: false,
    };
    await deliver([
      makeEvent({
        started_at: hour,
        gateway_key_id: key,
        tokens,
        cache_status: "MISS",
        cost: { usd: 0.0005, unpriced: false, priced_as: "openai/gpt-4o-mini", tier: "base" },
      }),
      makeEvent({
        started_at: hour + 1,
        gateway_key_id: key,
        tokens,
        cache_status: "HIT",
        cache_saved_usd: 0.0005,
        cost: { usd: 0, unpriced: false, priced_as: null, tier: null },
      }),
      makeEvent({
        started_at: hour + 2,
        gateway_key_id: key,
        tokens,
        cache_status: "SEMANTIC HIT",
        cache_saved_usd: 0.0005,
        cost: { usd: 0, unpriced: false, priced_as: null, tier: null },
      }),
    ]);
    const rollup = await env.DB.prepare("SELECT * FROM log_rollups WHERE dimension = 'key' AND value = ? AND hour = ?")
      .bind(key, hour)
      .first();
    expect(rollup).toMatchObject({
      requests: 3,
      prompt_tokens: 1000,
      completion_tokens: 500,
      cached_tokens: 100,
      reasoning_tokens: 20,
      cache_hits: 2,
    });
    expect(rollup?.cache_saved_usd).toBeCloseTo(0.001, 12);
    expect(rollup?.cost_usd).toBeCloseTo(0.0005, 12);

    const res = await gateway({ method: "GET", path: "/metrics", headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    const metrics = parsePrometheus(await res.text());
    const one = (name: string, extra: Record<string, string> = {}) =>
      select(metrics, name, { key, ...extra })[0]?.value;
    expect(one("ai_gateway_tokens_total", { type: "prompt" })).toBe(1000);
    expect(one("ai_gateway_cache_hits_total")).toBe(2);
    expect(one("ai_gateway_cache_saved_usd_total")).toBeCloseTo(0.001, 12);
    expect(one("ai_gateway_requests_total")).toBe(3);
  });
});
