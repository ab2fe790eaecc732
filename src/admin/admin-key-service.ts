import { and, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { CreateAdminKeyBody } from "../../schema/admin-api-keys";
import { adminApiKeys, type AdminApiKeyRow } from "../../schema/db";
import { GatewayError, badRequest } from "../errors";
import { auditInsertIf } from "../storage/audit-if";
import { generateAdminKey } from "../governance/keys/admin-format";
import { invalidateAdminKey } from "./admin-key-store";
import { auditInsert } from "../storage/audit";
import type { Db } from "../storage/db";
import type { Cursor } from "../storage/pagination";

/**
 * Admin key reads and writes. Each write is one D1 batch with its audit row (both or neither commit); the audit
 * row names the key by id and visible prefix, never the secret.
 */
const RESOURCE = "admin_api_key";

export async function requireAdminKey(db: Db, id: string): Promise<AdminApiKeyRow> {
  const row = await db.select().from(adminApiKeys).where(eq(adminApiKeys.id, id)).get();
  if (!row)
    throw new GatewayError(404, `admin API key ${JSON.stringify(id)} not found`, { code: "admin_key_not_found" });
  return row;
}

/** Newest first, `limit + 1` rows (toPage uses the extra one to tell whether there is a next page). */
export function listAdminKeyRows(
  db: Db,
  options: { limit: number; after?: Cursor; includeRevoked: boolean },
): Promise<AdminApiKeyRow[]> {
  const { after } = options;
  const afterCondition = after
    ? or(
        lt(adminApiKeys.createdAt, new Date(after.key)),
        and(eq(adminApiKeys.createdAt, new Date(after.key)), lt(adminApiKeys.id, after.id)),
      )
    : undefined;
  return db
    .select()
    .from(adminApiKeys)
    .where(and(options.includeRevoked ? undefined : isNull(adminApiKeys.revokedAt), afterCondition))
    .orderBy(desc(adminApiKeys.createdAt), desc(adminApiKeys.id))
    .limit(options.limit + 1)
    .all();
}

function futureDate(date: Date | null | undefined): Date | null {
  if (date && date.getTime() <= Date.now())
    throw badRequest("expires_at: must be in the future", "expires_at", "invalid_request");
  return date ?? null;
}

export async function createAdminKey(
  db: Db,
  actor: string,
  body: CreateAdminKeyBody,
): Promise<{ row: AdminApiKeyRow; secret: string }> {
  const { secret, hash, prefix } = await generateAdminKey();
  const row: AdminApiKeyRow = {
    id: crypto.randomUUID(),
    name: body.name,
    keyHash: hash,
    keyPrefix: prefix,
    scopes: body.scopes,
    expiresAt: futureDate(body.expires_at),
    revokedAt: null,
    createdAt: new Date(),
    createdBy: actor,
    revokedBy: null,
  };
  const details = {
    name: row.name,
    key_prefix: prefix,
    scopes: row.scopes.join(","),
    expires_at: row.expiresAt?.toISOString() ?? null,
  };
  await db.batch([
    db.insert(adminApiKeys).values(row),
    auditInsert(db, {
      actor,
      action: "create",
      resourceType: RESOURCE,
      resourceId: row.id,
      at: row.createdAt,
      details,
    }),
  ]);
  invalidateAdminKey(hash);
  return { row, secret };
}

/**
 * Revoke: applied only while the key is not revoked yet (two racing revokes leave one audit row), 409 otherwise.
 * The key stops working at once in this isolate, within KEY_CACHE_TTL_MS in the others.
 */
export async function revokeAdminKey(db: Db, actor: string, current: AdminApiKeyRow): Promise<AdminApiKeyRow> {
  const alreadyRevoked = () =>
    new GatewayError(409, `admin API key ${current.id} is already revoked`, { code: "admin_key_revoked" });
  if (current.revokedAt !== null) throw alreadyRevoked();
  const revokedAt = new Date();
  const write = db
    .update(adminApiKeys)
    .set({ revokedAt, revokedBy: actor })
    .where(and(eq(adminApiKeys.id, current.id), isNull(adminApiKeys.revokedAt)))
    .returning({ id: adminApiKeys.id });
  const applied = sql`EXISTS (SELECT 1 FROM admin_api_keys WHERE id = ${current.id} AND revoked_at = ${revokedAt.getTime()} AND revoked_by = ${actor})`;
  const event = {
    actor,
    action: "revoke",
    resourceType: RESOURCE,
    resourceId: current.id,
    at: revokedAt,
    details: { key_prefix: current.keyPrefix },
  };
  const [updated] = await db.batch([write, auditInsertIf(db, event, applied)]);
  invalidateAdminKey(current.keyHash);
  if (updated.length === 0) throw alreadyRevoked();
  return { ...current, revokedAt, revokedBy: actor };
}
