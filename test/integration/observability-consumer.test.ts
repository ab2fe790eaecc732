import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import type { LogEvent } from "../../src/observability/event";
import { MAX_D1_BATCHES } from "../../src/observability/write-isolating";
import { deliver, makeEvent, privateHour } from "./observability-helpers";

/** The queue consumer, driven with createMessageBatch: batching, failures and redelivery without double counting. */

interface RollupRow {
  requests: number;
  errors: number;
  prompt_tokens: number;
  completion_tokens: number;
  cached_tokens: number;
  cost_usd: number;
  unpriced: number;
  latency_sum_ms: number;
}

async function rollup(dimension: string, value: string, hour: number): Promise<RollupRow | null> {
  return env.DB.prepare("SELECT * FROM log_rollups WHERE dimension = ? AND value = ? AND hour = ?")
    .bind(dimension, value, hour)
    .first<RollupRow>();
}

async function countRows(key: string): Promise<number> {
  const row = await env.DB.prepare("SELECT count(*) AS n FROM request_logs WHERE gateway_key_id = ?")
    .bind(key)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/** D1 with its batch() counted, or made to fail. */
function instrumentedDb(options: { fail?: boolean } = {}) {
  const calls = { batch: 0 };
  const db = new Proxy(env.DB, {
    get(target, prop) {
      if (prop === "batch") {
        return (statements: D1PreparedStatement[]) => {
          calls.batch++;
          return options.fail ? Promise.reject(new Error("D1_ERROR: simulated outage")) : target.batch(statements);
        };
      }
      const value: unknown = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { db, calls };
}

function eventsFor(
  key: string,
  hour: number,
  n: number,
  extra: (i: number) => Partial<LogEvent> = () => ({}),
): LogEvent[] {
  return Array.from({ length: n }, (_, i) =>
    makeEvent({ gateway_key_id: key, started_at: hour + i * 1000, ended_at: hour + i * 1000 + 100, ...extra(i) }),
  );
}

describe("log queue consumer", () => {
  it("writes a full batch of 100 in one D1 batch, acks every message, and rolls it up", async () => {
    const key = `key-${crypto.randomUUID()}`;
    const hour = privateHour();
    const events = eventsFor(key, hour, 100, (i) => ({
      is_error: i % 10 === 0,
      status: i % 10 === 0 ? 500 : 200,
      tokens: {
        prompt: i,
        completion: 2,
        cached_read: 1,
        cache_write: 0,
        reasoning: 0,
        total: i + 2,
        estimated: false,
      },
      cost:
        i % 25 === 0
          ? { usd: null, unpriced: true, priced_as: null, tier: null }
          : { usd: 0.001, unpriced: false, priced_as: "openai/gpt-4o-mini", tier: "base" },
      latency: { total_ms: i, ttft_ms: null, upstream_ms: null, gateway_overhead_ms: null },
    }));
    const { db, calls } = instrumentedDb();
    const batch = createMessageBatch<unknown>(
      "ai-gateway-logs",
      events.map((body, i) => ({ id: `m-${i}`, timestamp: new Date(), attempts: 1, body })),
    );
    const ctx = createExecutionContext();
    // Through the Worker's own queue() export, as the runtime calls it.
    await worker.queue(batch, { ...env, DB: db });
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toHaveLength(100);
    expect(result.retryMessages).toEqual([]);
    expect(calls.batch).toBe(1);
    expect(await countRows(key)).toBe(100);
    // By hand: 10 errors (i = 0, 10, ...), prompt 0+...+99 = 4950, 4 unpriced (i = 0, 25, 50, 75), 96 priced at 0.001.
    const row = await rollup("key", key, hour);
    expect(row).toMatchObject({
      requests: 100,
      errors: 10,
      prompt_tokens: 4950,
      completion_tokens: 200,
      cached_tokens: 100,
      unpriced: 4,
      latency_sum_ms: 4950,
    });
    expect(row?.cost_usd).toBeCloseTo(0.096, 10);
  });

  it("never counts a redelivered event twice, whole batch or part of one", async () => {
    const key = `key-${crypto.randomUUID()}`;
    const hour = privateHour();
    const first = eventsFor(key, hour, 10);
    await deliver(first);
    const before = await rollup("key", key, hour);
    expect(before?.requests).toBe(10);

    const again = await deliver(first, { attempts: 2 });
    expect(again.result.explicitAcks).toHaveLength(10);
    expect(await rollup("key", key, hour)).toEqual(before);

    // Half old, half new, plus a duplicate message inside the batch itself.
    const fresh = eventsFor(key, hour, 5);
    await deliver([...first.slice(0, 5), ...fresh, fresh[0]], { attempts: 2 });
    expect(await countRows(key)).toBe(15);
    expect((await rollup("key", key, hour))?.requests).toBe(15);
    expect((await rollup("provider", "openai", hour))?.requests).toBe(15);
  });

  it("retries every message when D1 fails, writing nothing, and the retry counts once", async () => {
    const key = `key-${crypto.randomUUID()}`;
    const hour = privateHour();
    const events = eventsFor(key, hour, 3);
    const { db } = instrumentedDb({ fail: true });
    const failed = await deliver(events, { env: { ...env, DB: db } });
    expect(failed.result.explicitAcks).toEqual([]);
    expect(failed.result.retryMessages.map((m) => m.msgId).sort()).toEqual([...failed.ids].sort());
    expect(await countRows(key)).toBe(0);

    const retried = await deliver(events, { attempts: 2, ids: failed.ids });
    expect(retried.result.explicitAcks.sort()).toEqual([...failed.ids].sort());
    expect((await rollup("key", key, hour))?.requests).toBe(3);
  });

  it("writes the events of a batch D1 refuses, and retries only the one it cannot take", async () => {
    const key = `key-${crypto.randomUUID()}`;
    const hour = privateHour();
    const good = eventsFor(key, hour, 5);
    // Valid to the schema, refused by D1: a start past what a Date can hold is stored as NULL (NOT NULL constraint).
    const [bad] = eventsFor(key, hour, 1, () => ({ started_at: 9e15, ended_at: 9e15 }));
    const { result, ids } = await deliver([...good.slice(0, 2), bad, ...good.slice(2)]);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual([ids[2]]);
    expect(result.explicitAcks.sort()).toEqual(ids.filter((_, i) => i !== 2).sort());
    expect(await countRows(key)).toBe(5);
    expect((await rollup("key", key, hour))?.requests).toBe(5);
  });

  it("gives up splitting after a bounded number of D1 batches when D1 is down", async () => {
    const key = `key-${crypto.randomUUID()}`;
    const { db, calls } = instrumentedDb({ fail: true });
    const failed = await deliver(eventsFor(key, privateHour(), 100), { env: { ...env, DB: db } });
    expect(failed.result.retryMessages).toHaveLength(100);
    expect(calls.batch).toBeLessThanOrEqual(MAX_D1_BATCHES);
  });

  it("drops a malformed message (no retry can fix it) and writes the rest", async () => {
    const key = `key-${crypto.randomUUID()}`;
    const good = eventsFor(key, privateHour(), 1);
    const { result, ids } = await deliver([{ v: 1, id: "broken" }, "not an event", ...good]);
    expect(result.explicitAcks.sort()).toEqual([...ids].sort());
    expect(await countRows(key)).toBe(1);
  });

  it("rolls up every dimension, with '' for a request that has none", async () => {
    const hour = privateHour();
    const user = `user-${crypto.randomUUID()}`;
    await deliver(
      [
        makeEvent({ started_at: hour, user, virtual_key_id: "vk-obs", metadata: { team: "t1" } }),
        makeEvent({ started_at: hour + 1, user }),
      ],
      { env: { ...env, ANALYTICS_METADATA_KEY: "team" } },
    );
    expect((await rollup("user", user, hour))?.requests).toBe(2);
    const teams = await env.DB.prepare(
      "SELECT value, requests FROM log_rollups WHERE dimension = 'metadata.team' AND hour = ? ORDER BY value",
    )
      .bind(hour)
      .all();
    expect(teams.results).toEqual([
      { value: "", requests: 1 },
      { value: "t1", requests: 1 },
    ]);
  });
});
