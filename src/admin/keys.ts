import { Hono } from "hono";
import { createGatewayKeyBodySchema, listKeysQuerySchema, patchGatewayKeyBodySchema } from "../../schema/admin-keys";
import { presentGatewayKey, presentNewGatewayKey } from "../governance/keys/present";
import {
  createGatewayKey,
  requireGatewayKey,
  rotateGatewayKey,
  setGatewayKeyStatus,
  updateGatewayKey,
} from "../governance/keys/service";
import { limitsOf } from "../governance/records";
import { listGatewayKeyRows } from "../governance/repository";
import { presentUsage } from "../governance/usage";
import { readJsonBody } from "../lib/body";
import { adminActor } from "./auth";
import type { AdminContext, AdminEnv } from "./context";
import { openDb } from "../storage/db";
import { decodeCursor, toPage } from "../storage/pagination";
import { parseOrBadRequest } from "./validate";

/**
 * /admin/keys: gateway API keys. The secret is in the response of create and rotate only; D1 keeps its SHA-256.
 * Thin handlers: bodies in schema/admin-keys.ts, writes (with audit rows) in src/governance/keys/service.ts.
 */
export const keyRoutes = new Hono<AdminEnv>();

const idOf = (c: AdminContext) => c.req.param("id") ?? "";

keyRoutes.post("/", async (c) => {
  const body = await readJsonBody(c, createGatewayKeyBodySchema);
  const { row, secret } = await createGatewayKey(openDb(c.env), adminActor(c), body);
  return c.json(presentNewGatewayKey(row, secret), 201);
});

keyRoutes.get("/", async (c) => {
  const query = parseOrBadRequest(listKeysQuerySchema, c.req.query());
  const rows = await listGatewayKeyRows(openDb(c.env), {
    limit: query.limit,
    after: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
    includeDeleted: query.include_deleted === "true",
  });
  return c.json(toPage(rows, query.limit, (row) => ({ key: row.createdAt.getTime(), id: row.id }), presentGatewayKey));
});

keyRoutes.get("/:id", async (c) => c.json(presentGatewayKey(await requireGatewayKey(openDb(c.env), idOf(c)))));

keyRoutes.patch("/:id", async (c) => {
  const body = await readJsonBody(c, patchGatewayKeyBodySchema);
  const db = openDb(c.env);
  const current = await requireGatewayKey(db, idOf(c), true);
  return c.json(presentGatewayKey(await updateGatewayKey(db, adminActor(c), current, body)));
});

keyRoutes.post("/:id/disable", async (c) => {
  const db = openDb(c.env);
  const current = await requireGatewayKey(db, idOf(c), true);
  return c.json(presentGatewayKey(await setGatewayKeyStatus(db, adminActor(c), current, "disabled", "disable")));
});

keyRoutes.post("/:id/enable", async (c) => {
  const db = openDb(c.env);
  const current = await requireGatewayKey(db, idOf(c), true);
  return c.json(presentGatewayKey(await setGatewayKeyStatus(db, adminActor(c), current, "active", "enable")));
});

keyRoutes.post("/:id/rotate", async (c) => {
  const db = openDb(c.env);
  const current = await requireGatewayKey(db, idOf(c), true);
  const { row, secret } = await rotateGatewayKey(db, adminActor(c), current);
  return c.json(presentNewGatewayKey(row, secret));
});

keyRoutes.delete("/:id", async (c) => {
  const db = openDb(c.env);
  const current = await requireGatewayKey(db, idOf(c), true);
  return c.json(presentGatewayKey(await setGatewayKeyStatus(db, adminActor(c), current, "deleted", "delete")));
});

keyRoutes.get("/:id/usage", async (c) => {
  const row = await requireGatewayKey(openDb(c.env), idOf(c));
  return c.json(await presentUsage(c.env, "gateway_key", row.id, limitsOf(row)));
});
