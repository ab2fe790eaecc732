import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * Saved routing configs (x-portkey-config: <id or slug>). A config is an immutable series of versions; the row here
 * is its metadata and a pointer to the latest version, so the hot path reads one join.
 */
export const configs = sqliteTable(
  "configs",
  {
    id: text("id").primaryKey(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
    latestVersion: integer("latest_version").notNull(),
    archived: integer("archived", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [
    // Unique among live configs only: archiving frees the slug for a new config, the archived one stays reachable by id.
    uniqueIndex("configs_live_slug_idx")
      .on(t.slug)
      .where(sql`archived = 0`),
    // Keyset pagination of the admin list (newest first).
    index("configs_created_idx").on(t.createdAt, t.id),
  ],
);

export const configVersions = sqliteTable(
  "config_versions",
  {
    configId: text("config_id")
      .notNull()
      .references(() => configs.id),
    version: integer("version").notNull(),
    /** The config JSON exactly as the admin sent it (validated), so what you save is what you get back. */
    config: text("config").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    /** Admin identity (see src/admin/auth.ts adminIdentity), never a token. */
    createdBy: text("created_by").notNull(),
  },
  // The composite key doubles as optimistic locking: two concurrent updates cannot both write version n+1.
  (t) => [primaryKey({ columns: [t.configId, t.version] })],
);

export type ConfigRow = typeof configs.$inferSelect;
export type ConfigVersionRow = typeof configVersions.$inferSelect;
