import { Hono } from "hono";
import { listConfigsQuerySchema, pageQuerySchema, versionParamSchema } from "../../schema/admin";
import {
  createPromptBodySchema,
  labelBodySchema,
  labelNameSchema,
  updatePromptBodySchema,
  type LabelBody,
} from "../../schema/prompts";
import type { PromptRow } from "../../schema/db";
import { GatewayError } from "../errors";
import { readJsonBody } from "../lib/body";
import { presentPrompt, presentPromptMeta, presentPromptVersion } from "../prompts/present";
import { findPromptVersion, listLabelRows, listPromptRows, listPromptVersionRows } from "../prompts/repository";
import { addPromptVersion, archivePrompt, createPrompt, requirePrompt, setLabel } from "../prompts/service";
import type { LabelShare } from "../prompts/types";
import { storedTemplateOf } from "../prompts/validate";
import { openDb, type Db } from "../storage/db";
import { decodeCursor, toPage } from "../storage/pagination";
import { adminActor } from "./auth";
import type { AdminContext, AdminEnv } from "./context";
import { parseOrBadRequest } from "./validate";

/** /admin/prompts: the prompt registry. Validation in schema/prompts.ts, writes in src/prompts/service.ts. */
export const promptRoutes = new Hono<AdminEnv>();

const keyOf = (c: AdminContext) => c.req.param("key") ?? "";

async function withDetails(db: Db, row: PromptRow) {
  const latest = await findPromptVersion(db, row.id, row.latestVersion);
  // The batch writes a prompt row and its version together: a missing one is a broken invariant (500).
  if (!latest) throw new Error(`prompt ${row.id} has no version ${row.latestVersion}`);
  return presentPrompt(row, latest, await listLabelRows(db, row.id));
}

promptRoutes.post("/", async (c) => {
  const { slug, name, description, ...fields } = await readJsonBody(c, createPromptBodySchema);
  const template = storedTemplateOf(fields);
  const db = openDb(c.env);
  const row = await createPrompt(db, adminActor(c), { slug, name, description }, template);
  return c.json(await withDetails(db, row), 201);
});

promptRoutes.get("/", async (c) => {
  const query = parseOrBadRequest(listConfigsQuerySchema, c.req.query());
  const rows = await listPromptRows(openDb(c.env), {
    limit: query.limit,
    after: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
    includeArchived: query.include_archived === "true",
  });
  return c.json(toPage(rows, query.limit, (row) => ({ key: row.createdAt.getTime(), id: row.id }), presentPromptMeta));
});

promptRoutes.get("/:key", async (c) => {
  const db = openDb(c.env);
  return c.json(await withDetails(db, await requirePrompt(db, keyOf(c))));
});

/** A new immutable version (PUT and POST .../versions are the same). */
async function update(c: AdminContext) {
  const { name, description, ...fields } = await readJsonBody(c, updatePromptBodySchema);
  const template = storedTemplateOf(fields);
  const db = openDb(c.env);
  const current = await requirePrompt(db, keyOf(c), true);
  return c.json(
    await withDetails(db, await addPromptVersion(db, adminActor(c), current, { name, description }, template)),
  );
}
promptRoutes.put("/:key", update);
promptRoutes.post("/:key/versions", update);

promptRoutes.delete("/:key", async (c) => {
  const db = openDb(c.env);
  const current = await requirePrompt(db, keyOf(c), true);
  return c.json(presentPromptMeta(await archivePrompt(db, adminActor(c), current)));
});

promptRoutes.get("/:key/versions", async (c) => {
  const query = parseOrBadRequest(pageQuerySchema, c.req.query());
  const db = openDb(c.env);
  const prompt = await requirePrompt(db, keyOf(c));
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const rows = await listPromptVersionRows(db, prompt.id, { limit: query.limit, beforeVersion: after?.key });
  return c.json(toPage(rows, query.limit, (row) => ({ key: row.version, id: row.promptId }), presentPromptVersion));
});

promptRoutes.get("/:key/versions/:version", async (c) => {
  const version = parseOrBadRequest(versionParamSchema, c.req.param("version"), "version");
  const db = openDb(c.env);
  const prompt = await requirePrompt(db, keyOf(c));
  const row = await findPromptVersion(db, prompt.id, version);
  if (!row)
    throw new GatewayError(404, `prompt ${JSON.stringify(prompt.slug)} has no version ${version}`, {
      code: "prompt_version_not_found",
    });
  return c.json(presentPromptVersion(row));
});

const sharesOfBody = (body: LabelBody): LabelShare[] =>
  body.versions ?? (body.version === undefined ? [] : [{ version: body.version, weight: 1 }]);

promptRoutes.put("/:key/labels/:label", async (c) => {
  const label = parseOrBadRequest(labelNameSchema, c.req.param("label"), "label");
  const body = await readJsonBody(c, labelBodySchema);
  const db = openDb(c.env);
  const current = await requirePrompt(db, keyOf(c), true);
  await setLabel(db, adminActor(c), current, label, sharesOfBody(body));
  return c.json(await withDetails(db, current));
});
