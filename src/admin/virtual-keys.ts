import { Hono } from "hono";
import {
  createVirtualKeyBodySchema,
  listKeysQuerySchema,
  patchVirtualKeyBodySchema,
  rotateVirtualKeyBodySchema,
} from "../../schema/admin-keys";
import { reencryptConfigSecrets } from "../configs/reencrypt";
import { badRequest } from "../errors";
import { limitsOf } from "../governance/records";
import { listVirtualKeyRows } from "../governance/repository";
import { presentUsage } from "../governance/usage";
import { presentVirtualKey } from "../governance/virtual-keys/present";
import { reencryptBatch } from "../governance/virtual-keys/reencrypt";
import {
  createVirtualKey,
  deleteVirtualKey,
  requireVirtualKey,
  rotateVirtualKey,
  setVirtualKeyStatus,
  updateVirtualKey,
} from "../governance/virtual-keys/service";
import { readJson, validateJsonBody } from "../lib/body";
import { adminActor } from "./auth";
import type { AdminContext, AdminEnv } from "./context";
import { openDb } from "../storage/db";
import { decodeCursor, toPage } from "../storage/pagination";
import { parseOrBadRequest } from "./validate";

/**
 * /admin/virtual-keys: stored provider credentials, addressed by id or slug. The provider key is never returned
 * (a masked hint only); it and its destination (custom_host, azure_*) change only through /rotate.
 */
export const virtualKeyRoutes = new Hono<AdminEnv>();

const refOf = (c: AdminContext) => c.req.param("ref") ?? "";

virtualKeyRoutes.post("/", async (c) => {
  const body = validateJsonBody(createVirtualKeyBodySchema, await readJson(c));
  return c.json(presentVirtualKey(await createVirtualKey(c.env, openDb(c.env), adminActor(c), body)), 201);
});

virtualKeyRoutes.get("/", async (c) => {
  const query = parseOrBadRequest(listKeysQuerySchema, c.req.query());
  const rows = await listVirtualKeyRows(openDb(c.env), {
    limit: query.limit,
    after: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
    includeDeleted: query.include_deleted === "true",
  });
  return c.json(toPage(rows, query.limit, (row) => ({ key: row.createdAt.getTime(), id: row.id }), presentVirtualKey));
});

/**
 * Step 3 of a VAULT_KEY rotation: re-encrypt up to 50 virtual keys and 50 saved config versions (their inline
 * credentials; plaintext ones from older versions get sealed) per call under the current VAULT_KEY. The top-level
 * counts add both up, so "call until remaining is 0" covers everything the vault key protects.
 */
virtualKeyRoutes.post("/re-encrypt", async (c) => {
  const db = openDb(c.env);
  const keys = await reencryptBatch(c.env, db, adminActor(c));
  const configs = await reencryptConfigSecrets(c.env, db, adminActor(c));
  return c.json({
    vault_key_id: keys.vault_key_id,
    reencrypted: keys.reencrypted + configs.reencrypted,
    remaining: keys.remaining + configs.remaining,
    virtual_keys: { reencrypted: keys.reencrypted, remaining: keys.remaining },
    configs,
  });
});

virtualKeyRoutes.get("/:ref", async (c) => c.json(presentVirtualKey(await requireVirtualKey(openDb(c.env), refOf(c)))));

const CREDENTIAL_FIELDS = [
  "api_key",
  "custom_host",
  "azure_resource_name",
  "azure_deployment_id",
  "azure_api_version",
  "provider",
];

virtualKeyRoutes.patch("/:ref", async (c) => {
  const json = await readJson(c);
  // A clearer 400 than "unknown field": these change only together with the key, through /rotate.
  const field = typeof json === "object" && json !== null ? CREDENTIAL_FIELDS.find((name) => name in json) : undefined;
  if (field) {
    const hint =
      field === "provider"
        ? "create a new virtual key for another provider"
        : "use POST /admin/virtual-keys/:ref/rotate";
    throw badRequest(
      `${field}: the credential and its destination cannot be patched; ${hint}`,
      field,
      "invalid_request",
    );
  }
  const body = validateJsonBody(patchVirtualKeyBodySchema, json);
  const db = openDb(c.env);
  const current = await requireVirtualKey(db, refOf(c), true);
  return c.json(presentVirtualKey(await updateVirtualKey(db, adminActor(c), current, body)));
});

virtualKeyRoutes.post("/:ref/rotate", async (c) => {
  const body = validateJsonBody(rotateVirtualKeyBodySchema, await readJson(c));
  const db = openDb(c.env);
  const current = await requireVirtualKey(db, refOf(c), true);
  return c.json(presentVirtualKey(await rotateVirtualKey(c.env, db, adminActor(c), current, body)));
});

virtualKeyRoutes.post("/:ref/disable", async (c) => {
  const db = openDb(c.env);
  const current = await requireVirtualKey(db, refOf(c), true);
  return c.json(presentVirtualKey(await setVirtualKeyStatus(db, adminActor(c), current, "disabled", "disable")));
});

virtualKeyRoutes.post("/:ref/enable", async (c) => {
  const db = openDb(c.env);
  const current = await requireVirtualKey(db, refOf(c), true);
  return c.json(presentVirtualKey(await setVirtualKeyStatus(db, adminActor(c), current, "active", "enable")));
});

virtualKeyRoutes.delete("/:ref", async (c) => {
  const db = openDb(c.env);
  const current = await requireVirtualKey(db, refOf(c), true);
  return c.json(presentVirtualKey(await deleteVirtualKey(db, adminActor(c), current)));
});

virtualKeyRoutes.get("/:ref/usage", async (c) => {
  const row = await requireVirtualKey(openDb(c.env), refOf(c));
  return c.json(await presentUsage(c.env, "virtual_key", row.id, limitsOf(row)));
});
