import { sql } from "drizzle-orm";
import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * Governance tables: gateway API keys (the callers' credentials) and virtual keys (stored provider credentials).
 * Neither table ever holds a secret in the clear: a gateway key is stored as its SHA-256 hash (plus a visible
 * prefix), a virtual key's provider credential as AES-GCM ciphertext under VAULT_KEY (src/governance/vault).
 * Rows are never hard-deleted: `status = 'deleted'` keeps request logs attributable (the observability pipeline
 * joins on these ids) while the key stops working and, for virtual keys, the ciphertext is wiped.
 */

export const BUDGET_PERIODS = ["none", "daily", "weekly", "monthly"] as const;
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number];

export const KEY_STATUSES = ["active", "disabled", "deleted"] as const;
export type KeyStatus = (typeof KEY_STATUSES)[number];

/** A gateway key's default config: the id/slug of a saved config, or an inline config object. */
export type DefaultConfig = { ref: string } | { inline: Record<string, unknown> };

/** A gateway key's default guardrails: shorthand items (or saved guardrail ids/slugs) per phase. */
export interface DefaultGuardrails {
  input?: unknown[];
  output?: unknown[];
}

export const gatewayKeys = sqliteTable(
  "gateway_keys",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    /** Hex SHA-256 of the whole secret: what authentication looks up. */
    keyHash: text("key_hash").notNull(),
    /** The first characters of the secret (`pk-gw-AbC123`), so people can tell their keys apart. */
    keyPrefix: text("key_prefix").notNull(),
    status: text("status", { enum: KEY_STATUSES }).notNull().default("active"),
    user: text("user"),
    team: text("team"),
    /** Default x-portkey-metadata (the request's own metadata wins key by key). */
    metadata: text("metadata", { mode: "json" }).$type<Record<string, string>>().notNull(),
    /** null: no restriction. Model entries may end in `*` (prefix match). */
    allowedModels: text("allowed_models", { mode: "json" }).$type<string[]>(),
    allowedProviders: text("allowed_providers", { mode: "json" }).$type<string[]>(),
    /** Virtual key slugs. When set, every target must use one of them (no caller-supplied provider keys). */
    allowedVirtualKeys: text("allowed_virtual_keys", { mode: "json" }).$type<string[]>(),
    defaultConfig: text("default_config", { mode: "json" }).$type<DefaultConfig>(),
    /** Guardrails added to every request of the key (shorthand items per phase); its callers cannot remove them. */
    defaultGuardrails: text("default_guardrails", { mode: "json" }).$type<DefaultGuardrails>(),
    rpm: integer("rpm"),
    tpm: integer("tpm"),
    budgetUsd: real("budget_usd"),
    budgetPeriod: text("budget_period", { enum: BUDGET_PERIODS }).notNull().default("none"),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }),
    /** Log request/response bodies of this key's requests; null: the LOG_BODIES var decides (src/observability). */
    logBodies: integer("log_bodies", { mode: "boolean" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
    rotatedAt: integer("rotated_at", { mode: "timestamp_ms" }),
    /** Admin identity (src/admin/auth.ts adminIdentity), never a token. */
    createdBy: text("created_by").notNull(),
  },
  (t) => [
    uniqueIndex("gateway_keys_hash_idx").on(t.keyHash),
    // Keyset pagination of the admin list (newest first).
    index("gateway_keys_created_idx").on(t.createdAt, t.id),
  ],
);

export const virtualKeys = sqliteTable(
  "virtual_keys",
  {
    id: text("id").primaryKey(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    provider: text("provider").notNull(),
    status: text("status", { enum: KEY_STATUSES }).notNull().default("active"),
    /**
     * base64 AES-GCM ciphertext (tag included) of the credential JSON: api_key plus provider options (custom_host,
     * azure_*). The row id is the additional authenticated data, so a ciphertext cannot be moved to another row.
     * null once the key is deleted.
     */
    secretCiphertext: text("secret_ciphertext"),
    /** base64 96-bit IV, random per encryption. */
    secretIv: text("secret_iv"),
    /** Which vault key encrypted it (a fingerprint of VAULT_KEY, src/governance/vault/keys.ts): rotation reads it. */
    vaultKeyId: text("vault_key_id").notNull(),
    /** `****abcd`: enough to recognise a key, useless to use one. */
    secretHint: text("secret_hint").notNull(),
    /** Names of the provider options stored in the ciphertext (`custom_host`, ...), for the admin API. */
    options: text("options", { mode: "json" }).$type<string[]>().notNull(),
    allowedModels: text("allowed_models", { mode: "json" }).$type<string[]>(),
    rpm: integer("rpm"),
    tpm: integer("tpm"),
    budgetUsd: real("budget_usd"),
    budgetPeriod: text("budget_period", { enum: BUDGET_PERIODS }).notNull().default("none"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
    rotatedAt: integer("rotated_at", { mode: "timestamp_ms" }),
    createdBy: text("created_by").notNull(),
  },
  (t) => [
    // Unique among keys that are not deleted: deleting a virtual key frees its slug.
    uniqueIndex("virtual_keys_live_slug_idx")
      .on(t.slug)
      .where(sql`status != 'deleted'`),
    index("virtual_keys_created_idx").on(t.createdAt, t.id),
    // The re-encrypt sweep after a VAULT_KEY rotation looks rows up by the key that encrypted them.
    index("virtual_keys_vault_key_idx").on(t.vaultKeyId),
  ],
);

export type GatewayKeyRow = typeof gatewayKeys.$inferSelect;
export type VirtualKeyRow = typeof virtualKeys.$inferSelect;
