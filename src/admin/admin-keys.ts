import { Hono } from "hono";
import { createAdminKeyBodySchema, listAdminKeysQuerySchema } from "../../schema/admin-api-keys";
import { readJsonBody } from "../lib/body";
import { presentAdminKey, presentNewAdminKey } from "./admin-key-present";
import { createAdminKey, listAdminKeyRows, requireAdminKey, revokeAdminKey } from "./admin-key-service";
import { adminActor } from "./auth";
import type { AdminContext, AdminEnv } from "./context";
import { openDb } from "../storage/db";
import { decodeCursor, toPage } from "../storage/pagination";
import { parseOrBadRequest } from "./validate";

/**
 * /admin/admin-keys: scoped credentials for the admin API and /metrics (every route here needs the `admin` scope,
 * src/admin/scopes.ts). The secret is in the create response only; D1 keeps its SHA-256.
 */
export const adminKeyRoutes = new Hono<AdminEnv>();

const idOf = (c: AdminContext) => c.req.param("id") ?? "";

adminKeyRoutes.post("/", async (c) => {
  const body = await readJsonBody(c, createAdminKeyBodySchema);
  const { row, secret } = await createAdminKey(openDb(c.env), adminActor(c), body);
  return c.json(presentNewAdminKey(row, secret), 201);
});

adminKeyRoutes.get("/", async (c) => {
  const query = parseOrBadRequest(listAdminKeysQuerySchema, c.req.query());
  const rows = await listAdminKeyRows(openDb(c.env), {
    limit: query.limit,
    after: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
    includeRevoked: query.include_revoked === "true",
  });
  const now = Date.now();
  return c.json(
    toPage(
      rows,
      query.limit,
      (row) => ({ key: row.createdAt.getTime(), id: row.id }),
      (row) => presentAdminKey(row, now),
    ),
  );
});

adminKeyRoutes.get("/:id", async (c) => c.json(presentAdminKey(await requireAdminKey(openDb(c.env), idOf(c)))));

adminKeyRoutes.delete("/:id", async (c) => {
  const db = openDb(c.env);
  return c.json(presentAdminKey(await revokeAdminKey(db, adminActor(c), await requireAdminKey(db, idOf(c)))));
});
