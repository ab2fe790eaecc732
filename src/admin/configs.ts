import { Hono } from "hono";
import {
  createConfigBodySchema,
  listConfigsQuerySchema,
  pageQuerySchema,
  patchConfigBodySchema,
  replaceConfigBodySchema,
  versionParamSchema,
} from "../../schema/admin";
import type { ConfigRow } from "../../schema/db";
import { findVersion, listConfigRows, listVersionRows } from "../configs/repository";
import { presentConfig, presentConfigMeta, presentVersion, presentVersionSummary } from "../configs/present";
import { addVersion, archiveConfig, createConfig, renameConfig, requireConfig } from "../configs/service";
import { serializeValidConfig } from "../configs/validate";
import { GatewayError } from "../errors";
import { readJsonBody } from "../lib/body";
import { adminActor } from "./auth";
import type { AdminContext, AdminEnv } from "./context";
import { openDb, type Db } from "../storage/db";
import { decodeCursor, toPage } from "../storage/pagination";
import { parseOrBadRequest } from "./validate";

/** /admin/configs: saved routing configs. Thin handlers: validation in schema/, writes in src/configs/service.ts. */
export const configRoutes = new Hono<AdminEnv>();

async function withLatest(db: Db, row: ConfigRow) {
  const version = await findVersion(db, row.id, row.latestVersion);
  // The batch writes a config row and its version together, so a missing version is a broken invariant (500).
  if (!version) throw new Error(`config ${row.id} has no version ${row.latestVersion}`);
  return presentConfig(row, version.config);
}

const idOrSlugOf = (c: AdminContext) => c.req.param("idOrSlug") ?? "";

configRoutes.post("/", async (c) => {
  const body = await readJsonBody(c, createConfigBodySchema);
  const configJson = serializeValidConfig(body.config, c.env);
  const db = openDb(c.env);
  const row = await createConfig(c.env, db, adminActor(c), { slug: body.slug, name: body.name, configJson });
  return c.json(presentConfig(row, configJson), 201);
});

configRoutes.get("/", async (c) => {
  const query = parseOrBadRequest(listConfigsQuerySchema, c.req.query());
  const rows = await listConfigRows(openDb(c.env), {
    limit: query.limit,
    after: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
    includeArchived: query.include_archived === "true",
  });
  return c.json(toPage(rows, query.limit, (row) => ({ key: row.createdAt.getTime(), id: row.id }), presentConfigMeta));
});

configRoutes.get("/:idOrSlug", async (c) => {
  const db = openDb(c.env);
  return c.json(await withLatest(db, await requireConfig(db, idOrSlugOf(c))));
});

configRoutes.put("/:idOrSlug", async (c) => {
  const body = await readJsonBody(c, replaceConfigBodySchema);
  const configJson = serializeValidConfig(body.config, c.env);
  const db = openDb(c.env);
  const current = await requireConfig(db, idOrSlugOf(c), true);
  const row = await addVersion(c.env, db, adminActor(c), current, { configJson, name: body.name });
  return c.json(presentConfig(row, configJson));
});

configRoutes.patch("/:idOrSlug", async (c) => {
  const body = await readJsonBody(c, patchConfigBodySchema);
  const configJson = body.config === undefined ? undefined : serializeValidConfig(body.config, c.env);
  const db = openDb(c.env);
  const current = await requireConfig(db, idOrSlugOf(c), true);
  if (configJson === undefined) {
    // Validated above: without `config` there is a `name`.
    const row = await renameConfig(db, adminActor(c), current, body.name ?? current.name);
    return c.json(await withLatest(db, row));
  }
  const row = await addVersion(c.env, db, adminActor(c), current, { configJson, name: body.name });
  return c.json(presentConfig(row, configJson));
});

configRoutes.delete("/:idOrSlug", async (c) => {
  const db = openDb(c.env);
  const current = await requireConfig(db, idOrSlugOf(c), true);
  return c.json(presentConfigMeta(await archiveConfig(db, adminActor(c), current)));
});

configRoutes.get("/:idOrSlug/versions", async (c) => {
  const query = parseOrBadRequest(pageQuerySchema, c.req.query());
  const db = openDb(c.env);
  const config = await requireConfig(db, idOrSlugOf(c));
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const rows = await listVersionRows(db, config.id, { limit: query.limit, beforeVersion: after?.key });
  return c.json(toPage(rows, query.limit, (row) => ({ key: row.version, id: row.configId }), presentVersionSummary));
});

configRoutes.get("/:idOrSlug/versions/:version", async (c) => {
  const version = parseOrBadRequest(versionParamSchema, c.req.param("version"), "version");
  const db = openDb(c.env);
  const config = await requireConfig(db, idOrSlugOf(c));
  const row = await findVersion(db, config.id, version);
  if (!row) {
    throw new GatewayError(404, `config ${JSON.stringify(config.slug)} has no version ${version}`, {
      code: "config_version_not_found",
    });
  }
  return c.json(presentVersion(row));
});
