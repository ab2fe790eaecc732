import type { AdminApiKeyRow } from "../../schema/db";

/** The admin API's view of an admin key: everything but the secret (and its hash), which only create returns. */
export function presentAdminKey(row: AdminApiKeyRow, now = Date.now()) {
  const expired = row.expiresAt !== null && row.expiresAt.getTime() <= now;
  return {
    object: "admin_api_key" as const,
    id: row.id,
    name: row.name,
    key_prefix: row.keyPrefix,
    scopes: row.scopes,
    status: row.revokedAt !== null ? ("revoked" as const) : expired ? ("expired" as const) : ("active" as const),
    expires_at: row.expiresAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
    created_by: row.createdBy,
    revoked_at: row.revokedAt?.toISOString() ?? null,
    revoked_by: row.revokedBy,
  };
}

/** Create: the one time the secret is shown. */
export function presentNewAdminKey(row: AdminApiKeyRow, secret: string) {
  return { ...presentAdminKey(row), key: secret };
}
