import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { costOf, priceFor } from "../../schema/pricing";
import { cacheRuntime } from "../../src/cache/runtime";
import { adminCall, expectError, json as readJson } from "./admin-helpers";
import {
  cachedCall,
  chatBody,
  completion,
  json,
  keysWith,
  serveChat,
  status,
  uniq,
  usage,
  waitForEntries,
} from "./cache-fixtures";
import { useFakeUpstreams } from "./harness";

useFakeUpstreams();

interface Counters {
  hits: number;
  misses: number;
  semantic_hits: number;
  refreshes: number;
  saved_usd: number;
  hit_rate: number | null;
}
interface Stats {
  object: "cache.stats";
  partial: boolean;
  totals: Counters;
  namespaces: (Counters & { namespace: string })[];
}

let flushMs = 0;
beforeAll(() => {
  flushMs = cacheRuntime.statsFlushMs;
  cacheRuntime.statsFlushMs = 0;
});
afterAll(() => {
  cacheRuntime.statsFlushMs = flushMs;
});

const invalidate = (body: unknown) => adminCall({ method: "POST", path: "/cache/invalidate", body });

async function warm(ns: string, question: string, model = "gpt-4o-mini"): Promise<void> {
  const res = await cachedCall({ body: chatBody(question, { model }), headers: { "x-portkey-cache-namespace": ns } });
  expect(status(res)).toBe("MISS");
  await res.text();
}

const ask = (ns: string, question: string, model = "gpt-4o-mini") =>
  cachedCall({ body: chatBody(question, { model }), headers: { "x-portkey-cache-namespace": ns } }).then(status);

describe("GET /admin/cache/stats", () => {
  it("counts hits, misses and refreshes per namespace, with the cost the hits saved", async () => {
    const ns = uniq("stats");
    serveChat(() => json(completion("counted")));
    await warm(ns, "Count me");
    await waitForEntries(1, `rc1:${ns}:`);
    expect(await ask(ns, "Count me")).toBe("HIT");
    expect(await ask(ns, "Count me")).toBe("HIT");
    const refresh = await cachedCall({
      body: chatBody("Count me"),
      headers: { "x-portkey-cache-namespace": ns, "x-portkey-cache-force-refresh": "true" },
    });
    expect(status(refresh)).toBe("REFRESH");
    await refresh.text();

    const price = priceFor("openai", "gpt-4o-mini-2024-07-18");
    if (!price) throw new Error("gpt-4o-mini must be priced");
    const perHit = costOf(price, usage).usd;
    expect(perHit).toBeGreaterThan(0);
    await vi.waitFor(
      async () => {
        const stats = await readJson<Stats>(await adminCall({ path: `/cache/stats?namespace=${ns}` }));
        expect(stats.namespaces).toEqual([
          {
            namespace: ns,
            hits: 2,
            misses: 1,
            semantic_hits: 0,
            refreshes: 1,
            saved_usd: Math.round(2 * perHit * 1e10) / 1e10,
            hit_rate: 0.6667,
          },
        ]);
        expect(stats.totals.hits).toBe(2);
      },
      { timeout: 5_000, interval: 50 },
    );
    const all = await readJson<Stats>(await adminCall({ path: "/cache/stats" }));
    expect(all.namespaces.map((n) => n.namespace)).toContain(ns);
    expect(all.totals.hits).toBeGreaterThanOrEqual(2);
  });

  it("is behind the admin token", async () => {
    await expectError(await adminCall({ path: "/cache/stats", token: null }), 401);
  });
});

describe("POST /admin/cache/invalidate", () => {
  it("by namespace: every entry of it, and only of it", async () => {
    const [ns, other] = [uniq("inv"), uniq("keep")];
    serveChat(() => json(completion("to forget")));
    await warm(ns, "One");
    await warm(ns, "Two");
    await warm(other, "One");
    await waitForEntries(2, `rc1:${ns}:`);
    await waitForEntries(1, `rc1:${other}:`);
    const result = await readJson<{ deleted: number; next_cursor: string | null }>(await invalidate({ namespace: ns }));
    expect(result).toEqual({ object: "cache.invalidation", deleted: 2, next_cursor: null });
    expect(await keysWith(`rc1:${ns}:`)).toEqual([]);
    expect(await ask(ns, "One")).toBe("MISS");
    expect(await ask(other, "One")).toBe("HIT");
  });

  it("by key: the one entry", async () => {
    const ns = uniq("key");
    serveChat(() => json(completion("keyed")));
    await warm(ns, "Alpha");
    await warm(ns, "Beta");
    const keys = await waitForEntries(2, `rc1:${ns}:`);
    const [first] = keys;
    const result = await readJson<{ deleted: number }>(await invalidate({ key: first }));
    expect(result.deleted).toBe(1);
    expect((await keysWith(`rc1:${ns}:`)).sort()).toEqual(keys.slice(1).sort());
    expect((await readJson<{ deleted: number }>(await invalidate({ key: first }))).deleted).toBe(0);
  });

  it("by model: across namespaces, other models untouched", async () => {
    const [a, b] = [uniq("ma"), uniq("mb")];
    const model = `gpt-4o-mini-${uniq("m")}`;
    serveChat(() => json(completion("by model")));
    await warm(a, "Gamma", model);
    await warm(b, "Gamma", model);
    await warm(a, "Gamma", "gpt-4o-mini");
    await waitForEntries(2, `rc1:${a}:`);
    await waitForEntries(1, `rc1:${b}:`);
    let cursor: string | null | undefined;
    let deleted = 0;
    do {
      const page = await readJson<{ deleted: number; next_cursor: string | null }>(
        await invalidate(cursor ? { model, cursor } : { model }),
      );
      deleted += page.deleted;
      cursor = page.next_cursor;
    } while (cursor);
    expect(deleted).toBe(2);
    expect(await ask(a, "Gamma", model)).toBe("MISS");
    expect(await ask(b, "Gamma", model)).toBe("MISS");
    expect(await ask(a, "Gamma")).toBe("HIT");
  });

  it("records the invalidation in the audit log", async () => {
    const ns = uniq("audit");
    await readJson(await invalidate({ namespace: ns }));
    const row = await env.DB.prepare(
      "select actor, action, resource_type, resource_id from audit_log where resource_id = ?",
    )
      .bind(`namespace=${ns} model=*`)
      .first();
    expect(row).toMatchObject({ action: "invalidate", resource_type: "cache" });
  });

  it("refuses bodies that name nothing, mix a key with a filter, or carry a malformed key", async () => {
    await expectError(await invalidate({}), 400);
    await expectError(await invalidate({ key: "rc1:a:b:c:d", namespace: "x" }), 400);
    await expectError(await invalidate({ key: "not-a-key" }), 400, { param: "key" });
    await expectError(await invalidate({ namespace: "x", extra: 1 }), 400);
  });
});
