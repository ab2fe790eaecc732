import { describe, expect, it } from "vitest";
import { adminCall, expectError, json, type ListBody } from "./admin-helpers";
import { deliver, makeEvent, privateHour } from "./observability-helpers";

/** GET /admin/logs (filters, cursor pagination) and GET /admin/logs/:traceId. */

interface LogBody {
  object: "log";
  id: string;
  trace_id: string;
  started_at: string;
  status: number;
  user: string | null;
  metadata: Record<string, string>;
  provider: string | null;
  model: string | null;
  tokens: { prompt: number; estimated: boolean };
  cost: { usd: number | null; unpriced: boolean };
  attempts: unknown[];
  bodies?: { request: string | null; response: string | null; truncated: boolean } | null;
}

async function seed() {
  const key = `key-${crypto.randomUUID()}`;
  const hour = privateHour();
  const events = Array.from({ length: 7 }, (_, i) =>
    makeEvent({
      started_at: hour + i * 60_000,
      gateway_key_id: key,
      virtual_key_id: i < 2 ? "vk-logs" : null,
      user: i % 2 === 0 ? "alice" : "bob",
      provider: i < 5 ? "openai" : "anthropic",
      served_model: i < 5 ? "gpt-4o" : "claude-sonnet-4-5",
      status: i === 3 ? 429 : i === 4 ? 503 : 200,
      is_error: i === 3 || i === 4,
      metadata: { plan: i < 3 ? "paid" : "free", region: "eu" },
    }),
  );
  await deliver(events);
  return { key, hour, events };
}

const list = async (query: string) => json<ListBody<LogBody>>(await adminCall({ path: `/logs?${query}` }));

describe("GET /admin/logs", () => {
  it("filters by key, provider, model, user, status, metadata and time", async () => {
    const { key, hour, events } = await seed();
    const k = `key=${key}`;
    expect((await list(k)).data.map((l) => l.id)).toEqual(events.map((e) => e.id).reverse()); // newest first
    expect((await list(`${k}&provider=anthropic`)).data).toHaveLength(2);
    expect((await list(`${k}&model=claude-sonnet-4-5`)).data).toHaveLength(2);
    expect((await list(`${k}&virtual_key=vk-logs`)).data).toHaveLength(2);
    expect((await list(`${k}&user=alice`)).data.every((l) => l.user === "alice")).toBe(true);
    expect((await list(`${k}&status=429`)).data.map((l) => l.status)).toEqual([429]);
    expect((await list(`${k}&status=5xx`)).data.map((l) => l.status)).toEqual([503]);
    expect((await list(`${k}&status=error`)).data).toHaveLength(2);
    expect((await list(`${k}&metadata.plan=paid`)).data).toHaveLength(3);
    expect((await list(`${k}&metadata.plan=paid&metadata.region=eu&user=alice`)).data).toHaveLength(2);
    const window = `from=${new Date(hour + 60_000).toISOString()}&to=${hour + 3 * 60_000}`;
    expect((await list(`${k}&${window}`)).data.map((l) => l.id)).toEqual([events[2]?.id, events[1]?.id]);
    const one = (await list(`trace_id=${events[0]?.trace_id}`)).data;
    expect(one).toHaveLength(1);
    expect(one[0]).toMatchObject({
      object: "log",
      metadata: { plan: "paid", region: "eu" },
      cost: { unpriced: false },
    });
    expect(one[0]).not.toHaveProperty("bodies");
  });

  it("pages with a cursor, newest first, without repeats or gaps", async () => {
    const { key, events } = await seed();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: ListBody<LogBody> = await list(`key=${key}&limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.data.length).toBeLessThanOrEqual(3);
      seen.push(...page.data.map((l) => l.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual(events.map((e) => e.id).reverse());
  });

  it("rejects unknown parameters, bad times, bad statuses and bad metadata keys", async () => {
    await expectError(await adminCall({ path: "/logs?provder=openai" }), 400, {});
    await expectError(await adminCall({ path: "/logs?from=yesterday" }), 400, { param: "from" });
    await expectError(await adminCall({ path: "/logs?status=6xx" }), 400, { param: "status" });
    await expectError(await adminCall({ path: '/logs?metadata.a"b=1' }), 400, {});
    await expectError(await adminCall({ path: "/logs?cursor=nope" }), 400, { code: "invalid_cursor" });
  });

  it("is behind the admin token", async () => {
    await expectError(await adminCall({ path: "/logs", token: null }), 401, {});
  });
});

describe("GET /admin/logs/:traceId", () => {
  it("returns every request of the trace with its detail, bodies included when logged", async () => {
    const trace = `shared-${crypto.randomUUID()}`;
    const hour = privateHour();
    const first = makeEvent({
      trace_id: trace,
      started_at: hour,
      bodies: { request: '{"model":"gpt-4o"}', response: '{"id":"x"}', truncated: false },
    });
    const second = makeEvent({ trace_id: trace, started_at: hour + 1000 });
    await deliver([second, first]);
    const body = await json<{ object: string; trace_id: string; data: LogBody[] }>(
      await adminCall({ path: `/logs/${trace}` }),
    );
    expect(body).toMatchObject({ object: "trace", trace_id: trace });
    expect(body.data.map((l) => l.id)).toEqual([first.id, second.id]);
    expect(body.data[0]?.bodies).toEqual({ request: '{"model":"gpt-4o"}', response: '{"id":"x"}', truncated: false });
    expect(body.data[1]?.bodies).toBeNull();
    expect(body.data[0]?.attempts).toHaveLength(1);
    // The event id finds the request too.
    expect(
      (await json<{ data: LogBody[] }>(await adminCall({ path: `/logs/${second.id}` }))).data.map((l) => l.id),
    ).toEqual([second.id]);
  });

  it("404 for a trace with no logged request", async () => {
    await expectError(await adminCall({ path: `/logs/nothing-${crypto.randomUUID()}` }), 404, {
      code: "log_not_found",
    });
  });
});
