import { and, eq, ne } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { CreateGatewayKeyBody, PatchGatewayKeyBody } from "../../../schema/admin-keys";
import { gatewayKeys, type GatewayKeyRow } from "../../../schema/db";
import { auditInsert, type AuditDetails } from "../../storage/audit";
import type { Db } from "../../storage/db";
import { GatewayError, badRequest } from "../../errors";
import { auditInsertIf, updatedTo } from "../../storage/audit-if";
import { findGatewayKey } from "../repository";
import { invalidateGatewayKey } from "../store";
import { checkDefaultConfig } from "./default-config";
import { checkDefaultGuardrails } from "./default-guardrails";
import { generateGatewayKey } from "./format";

/**
 * Gateway key writes. Each change is one D1 batch with its audit row (both or neither commit); the audit row names
 * the key by id and visible prefix, never the secret. Afterwards this isolate forgets the key, so the change
 * applies to its next request at once; other isolates within KEY_CACHE_TTL_MS (store.ts).
 */
const RESOURCE = "gateway_key";

export const gatewayKeyNotFound = (id: string) =>
  new GatewayError(404, `gateway key ${JSON.stringify(id)} not found`, { code: "gateway_key_not_found" });

export async function requireGatewayKey(db: Db, id: string, forWrite = false): Promise<GatewayKeyRow> {
  const row = await findGatewayKey(db, id);
  if (!row) throw gatewayKeyNotFound(id);
  if (forWrite && row.status === "deleted") {
    throw new GatewayError(409, `gateway key ${JSON.stringify(id)} is deleted and can no longer change`, {
      code: "gateway_key_deleted",
    });
  }
  return row;
}

function futureDate(date: Date | null | undefined): Date | null | undefined {
  if (date && date.getTime() <= Date.now())
    throw badRequest(
      "expires_at: must be in the future (to stop a key now, disable it)",
      "expires_at",
      "invalid_request",
    );
  return date;
}

/** The write and its audit row in one batch. */
async function commit(
  db: Db,
  row: GatewayKeyRow,
  write: BatchItem<"sqlite">,
  actor: string,
  action: string,
  details: AuditDetails,
) {
  await db.batch([
    write,
    auditInsert(db, { actor, action, resourceType: RESOURCE, resourceId: row.id, at: row.updatedAt, details }),
  ]);
}

/**
 * A change to an existing key: applied only while the key is not deleted (a racing edit cannot revive a deleted
 * key), audited only if it applied, and 409 otherwise.
 */
async function commitChange(
  db: Db,
  row: GatewayKeyRow,
  set: Partial<GatewayKeyRow>,
  actor: string,
  action: string,
  details: AuditDetails,
) {
  const write = db
    .update(gatewayKeys)
    .set({ ...set, updatedAt: row.updatedAt })
    .where(and(eq(gatewayKeys.id, row.id), ne(gatewayKeys.status, "deleted")))
    .returning({ id: gatewayKeys.id });
  const event = { actor, action, resourceType: RESOURCE, resourceId: row.id, at: row.updatedAt, details };
  const [updated] = await db.batch([write, auditInsertIf(db, event, updatedTo("gateway_keys", row.id, row.updatedAt))]);
  if (updated.length === 0)
    throw new GatewayError(409, `gateway key ${row.id} was deleted`, { code: "api_key_deleted" });
}

export async function createGatewayKey(
  db: Db,
  actor: string,
  body: CreateGatewayKeyBody,
): Promise<{ row: GatewayKeyRow; secret: string }> {
  const defaultConfig = body.default_config == null ? null : await checkDefaultConfig(db, body.default_config);
  const { secret, hash, prefix } = await generateGatewayKey();
  const now = new Date();
  const row: GatewayKeyRow = {
    id: crypto.randomUUID(),
    name: body.name,
    keyHash: hash,
    keyPrefix: prefix,
    status: "active",
    user: body.user ?? null,
    team: body.team ?? null,
    metadata: body.metadata ?? {},
    allowedModels: body.allowed_models ?? null,
    allowedProviders: body.allowed_providers ?? null,
    allowedVirtualKeys: body.allowed_virtual_keys ?? null,
    defaultConfig,
    defaultGuardrails: body.default_guardrails == null ? null : checkDefaultGuardrails(body.default_guardrails),
    rpm: body.rpm ?? null,
    tpm: body.tpm ?? null,
    budgetUsd: body.budget_usd ?? null,
    budgetPeriod: body.budget_period ?? "none",
    expiresAt: futureDate(body.expires_at) ?? null,
    logBodies: body.log_bodies ?? null,
    createdAt: now,
    updatedAt: now,
    rotatedAt: null,
    createdBy: actor,
  };
  await commit(db, row, db.insert(gatewayKeys).values(row), actor, "create", { name: row.name, key_prefix: prefix });
  invalidateGatewayKey(hash);
  return { row, secret };
}

export async function updateGatewayKey(
  db: Db,
  actor: string,
  current: GatewayKeyRow,
  body: PatchGatewayKeyBody,
): Promise<GatewayKeyRow> {
  const changes: Partial<GatewayKeyRow> = { updatedAt: new Date() };
  if (body.name !== undefined) changes.name = body.name;
  if (body.user !== undefined) changes.user = body.user;
  if (body.team !== undefined) changes.team = body.team;
  if (body.metadata !== undefined) changes.metadata = body.metadata;
  if (body.allowed_models !== undefined) changes.allowedModels = body.allowed_models;
  if (body.allowed_providers !== undefined) changes.allowedProviders = body.allowed_providers;
  if (body.allowed_virtual_keys !== undefined) changes.allowedVirtualKeys = body.allowed_virtual_keys;
  if (body.default_config !== undefined)
    changes.defaultConfig = body.default_config === null ? null : await checkDefaultConfig(db, body.default_config);
  if (body.default_guardrails !== undefined) {
    changes.defaultGuardrails =
      body.default_guardrails === null ? null : checkDefaultGuardrails(body.default_guardrails);
  }
  if (body.rpm !== undefined) changes.rpm = body.rpm;
  if (body.tpm !== undefined) changes.tpm = body.tpm;
  if (body.budget_usd !== undefined) changes.budgetUsd = body.budget_usd;
  if (body.budget_period !== undefined) changes.budgetPeriod = body.budget_period;
  if (body.expires_at !== undefined) changes.expiresAt = futureDate(body.expires_at) ?? null;
  if (body.log_bodies !== undefined) changes.logBodies = body.log_bodies;
  const row = { ...current, ...changes };
  const fields = Object.keys(body).sort().join(",");
  await commitChange(db, row, changes, actor, "update", { fields });
  invalidateGatewayKey(current.keyHash);
  return row;
}

/** disable / enable / delete: a status change. Deleting keeps the row so logs stay attributable. */
export async function setGatewayKeyStatus(
  db: Db,
  actor: string,
  current: GatewayKeyRow,
  status: GatewayKeyRow["status"],
  action: string,
) {
  const row: GatewayKeyRow = { ...current, status, updatedAt: new Date() };
  await commitChange(db, row, { status }, actor, action, {
    key_prefix: current.keyPrefix,
    previous_status: current.status,
  });
  invalidateGatewayKey(current.keyHash);
  return row;
}

/** A new secret for the same key (same id, limits and spend); the old secret stops working at once. */
export async function rotateGatewayKey(
  db: Db,
  actor: string,
  current: GatewayKeyRow,
): Promise<{ row: GatewayKeyRow; secret: string }> {
  const { secret, hash, prefix } = await generateGatewayKey();
  const now = new Date();
  const row: GatewayKeyRow = { ...current, keyHash: hash, keyPrefix: prefix, rotatedAt: now, updatedAt: now };
  await commitChange(db, row, { keyHash: hash, keyPrefix: prefix, rotatedAt: now }, actor, "rotate", {
    key_prefix: prefix,
    previous_key_prefix: current.keyPrefix,
  });
  invalidateGatewayKey(current.keyHash);
  invalidateGatewayKey(hash);
  return { row, secret };
}
