import { Hono } from "hono";
import { listConfigsQuerySchema, pageQuerySchema, versionParamSchema } from "../../schema/admin";
import {
  createGuardrailMetaSchema,
  guardrailDefinitionOf,
  replaceGuardrailMetaSchema,
} from "../../schema/admin-guardrails";
import type { GuardrailRow } from "../../schema/db/guardrails";
import { findGuardrailVersion, listGuardrailRows, listGuardrailVersionRows } from "../configs/guardrail-repository";
import {
  presentGuardrail,
  presentGuardrailMeta,
  presentGuardrailVersion,
  presentGuardrailVersionSummary,
} from "../configs/guardrail-present";
import { addGuardrailVersion, archiveGuardrail, createGuardrail, requireGuardrail } from "../configs/guardrail-service";
import { serializeValidGuardrail } from "../configs/guardrail-validate";
import { GatewayError } from "../errors";
import { readJsonBody } from "../lib/body";
import { openDb, type Db } from "../storage/db";
import { decodeCursor, toPage } from "../storage/pagination";
import { adminActor } from "./auth";
import type { AdminContext, AdminEnv } from "./context";
import { parseOrBadRequest } from "./validate";

/**
 * /admin/guardrails: saved guardrails, versioned like saved configs. The body is the guardrail (shorthand item or
 * full-form hook) plus `slug` / `name`; it is checked by the normaliser and registry the request path uses.
 */
export const guardrailRoutes = new Hono<AdminEnv>();

const idOrSlugOf = (c: AdminContext) => c.req.param("idOrSlug") ?? "";

async function withLatest(db: Db, row: GuardrailRow) {
  const version = await findGuardrailVersion(db, row.id, row.latestVersion);
  // Written in one batch with the row: a missing version is a broken invariant (500).
  if (!version) throw new Error(`guardrail ${row.id} has no version ${row.latestVersion}`);
  return presentGuardrail(row, version.definition);
}

guardrailRoutes.post("/", async (c) => {
  const body = await readJsonBody(c, createGuardrailMetaSchema);
  const definition = serializeValidGuardrail(guardrailDefinitionOf(body), c.env);
  const row = await createGuardrail(openDb(c.env), adminActor(c), { slug: body.slug, name: body.name, definition });
  return c.json(presentGuardrail(row, definition), 201);
});

guardrailRoutes.get("/", async (c) => {
  const query = parseOrBadRequest(listConfigsQuerySchema, c.req.query());
  const rows = await listGuardrailRows(openDb(c.env), {
    limit: query.limit,
    after: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
    includeArchived: query.include_archived === "true",
  });
  const cursorOf = (row: GuardrailRow) => ({ key: row.createdAt.getTime(), id: row.id });
  return c.json(toPage(rows, query.limit, cursorOf, presentGuardrailMeta));
});

guardrailRoutes.get("/:idOrSlug", async (c) => {
  const db = openDb(c.env);
  return c.json(await withLatest(db, await requireGuardrail(db, idOrSlugOf(c))));
});

guardrailRoutes.put("/:idOrSlug", async (c) => {
  const body = await readJsonBody(c, replaceGuardrailMetaSchema);
  const definition = serializeValidGuardrail(guardrailDefinitionOf(body), c.env);
  const db = openDb(c.env);
  const current = await requireGuardrail(db, idOrSlugOf(c), true);
  const row = await addGuardrailVersion(db, adminActor(c), current, { definition, name: body.name });
  return c.json(presentGuardrail(row, definition));
});

guardrailRoutes.delete("/:idOrSlug", async (c) => {
  const db = openDb(c.env);
  const current = await requireGuardrail(db, idOrSlugOf(c), true);
  return c.json(presentGuardrailMeta(await archiveGuardrail(db, adminActor(c), current)));
});

guardrailRoutes.get("/:idOrSlug/versions", async (c) => {
  const query = parseOrBadRequest(pageQuerySchema, c.req.query());
  const db = openDb(c.env);
  const guardrail = await requireGuardrail(db, idOrSlugOf(c));
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const rows = await listGuardrailVersionRows(db, guardrail.id, { limit: query.limit, beforeVersion: after?.key });
  const cursorOf = (row: { version: number; guardrailId: string }) => ({ key: row.version, id: row.guardrailId });
  return c.json(toPage(rows, query.limit, cursorOf, presentGuardrailVersionSummary));
});

guardrailRoutes.get("/:idOrSlug/versions/:version", async (c) => {
  const version = parseOrBadRequest(versionParamSchema, c.req.param("version"), "version");
  const db = openDb(c.env);
  const guardrail = await requireGuardrail(db, idOrSlugOf(c));
  const row = await findGuardrailVersion(db, guardrail.id, version);
  if (!row) {
    throw new GatewayError(404, `guardrail ${JSON.stringify(guardrail.slug)} has no version ${version}`, {
      code: "guardrail_version_not_found",
    });
  }
  return c.json(presentGuardrailVersion(row));
});
