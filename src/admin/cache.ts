import { Hono } from "hono";
import * as z from "zod";
import { invalidate } from "../cache/invalidate";
import { MAX_NAMESPACE_LENGTH } from "../cache/settings";
import { readCacheStats, STATS_TTL_S, type Counters } from "../cache/stats";
import { badRequest } from "../errors";
import { readJsonBody } from "../lib/body";
import { auditInsert } from "../storage/audit";
import { adminActor } from "./auth";
import type { AdminEnv } from "./context";
import { openDb } from "../storage/db";
import { parseOrBadRequest } from "./validate";

/** /admin/cache: hit/miss/savings counters and invalidation of the response cache (src/cache). */
export const cacheRoutes = new Hono<AdminEnv>();

const namespace = z.string().min(1).max(MAX_NAMESPACE_LENGTH);

const statsQuerySchema = z.object({ namespace: namespace.optional() });

const invalidateBodySchema = z
  .strictObject({
    namespace: namespace.optional(),
    model: z.string().min(1).max(256).optional(),
    key: z.string().min(1).max(512).optional(),
    cursor: z.string().min(1).max(2048).optional(),
  })
  .refine(
    (body) => body.key !== undefined || body.namespace !== undefined || body.model !== undefined,
    "expected `key`, `namespace` or `model`",
  )
  .refine(
    (body) =>
      body.key === undefined || (body.namespace === undefined && body.model === undefined && body.cursor === undefined),
    {
      message: "`key` names one entry: it cannot be combined with `namespace`, `model` or `cursor`",
    },
  );

function withRate(counters: Counters) {
  const served = counters.hits + counters.semantic_hits;
  const lookups = served + counters.misses;
  return { ...counters, hit_rate: lookups === 0 ? null : Math.round((served / lookups) * 10_000) / 10_000 };
}

cacheRoutes.get("/stats", async (c) => {
  const query = parseOrBadRequest(statsQuerySchema, c.req.query());
  const { namespaces, partial } = await readCacheStats(c.env.CACHE, query.namespace);
  const totals: Counters = { hits: 0, misses: 0, semantic_hits: 0, refreshes: 0, saved_usd: 0 };
  for (const ns of namespaces) {
    totals.hits += ns.hits;
    totals.misses += ns.misses;
    totals.semantic_hits += ns.semantic_hits;
    totals.refreshes += ns.refreshes;
    totals.saved_usd = Math.round((totals.saved_usd + ns.saved_usd) * 1e10) / 1e10;
  }
  return c.json({
    object: "cache.stats",
    window_days: Math.floor(STATS_TTL_S / 86_400),
    partial,
    totals: withRate(totals),
    namespaces: namespaces.sort((a, b) => a.namespace.localeCompare(b.namespace)).map(withRate),
  });
});

cacheRoutes.post("/invalidate", async (c) => {
  const body = await readJsonBody(c, invalidateBodySchema);
  const request = body.key !== undefined ? { key: body.key } : { namespace: body.namespace, model: body.model };
  const result = await invalidate(c.env.CACHE, request, body.cursor);
  if (!result) {
    throw badRequest(
      "key: not a cache entry key (expected rc1:<namespace>:<model>:<scope>:<hash>)",
      "key",
      "invalid_request",
    );
  }
  await auditInsert(openDb(c.env), {
    actor: adminActor(c),
    action: "invalidate",
    resourceType: "cache",
    resourceId: body.key ?? `namespace=${body.namespace ?? "*"} model=${body.model ?? "*"}`,
    details: { deleted: result.deleted, continued: body.cursor !== undefined, complete: result.cursor === null },
  });
  return c.json({ object: "cache.invalidation", deleted: result.deleted, next_cursor: result.cursor });
});
