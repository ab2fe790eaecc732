import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * Admin API keys: scoped credentials for the admin API and /metrics, minted by an admin (src/admin/admin-keys.ts)
 * so that a Prometheus scraper or a dashboard need not hold ADMIN_TOKEN. Like gateway keys, only the SHA-256 of
 * the secret and a short visible prefix are stored. Revoking keeps the row (the audit log names keys by id).
 */
export const ADMIN_SCOPES = ["admin", "read", "metrics"] as const;
export type AdminScope = (typeof ADMIN_SCOPES)[number];

export const adminApiKeys = sqliteTable(
  "admin_api_keys",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    /** Hex SHA-256 of the whole secret: what authentication looks up. */
    keyHash: text("key_hash").notNull(),
    /** The first characters of the secret (`agk_admin_AbC123`), so people can tell their keys apart. */
    keyPrefix: text("key_prefix").notNull(),
    /** Non-empty, distinct entries of ADMIN_SCOPES. */
    scopes: text("scopes", { mode: "json" }).$type<AdminScope[]>().notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }),
    /** Set once, by DELETE: from then on the key is refused (401). */
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    /** Admin identity (`admin:<hash8>` or `admin-key:<id>`), never a token. */
    createdBy: text("created_by").notNull(),
    revokedBy: text("revoked_by"),
  },
  (t) => [
    uniqueIndex("admin_api_keys_hash_idx").on(t.keyHash),
    // Keyset pagination of the admin list (newest first).
    index("admin_api_keys_created_idx").on(t.createdAt, t.id),
  ],
);

export type AdminApiKeyRow = typeof adminApiKeys.$inferSelect;
