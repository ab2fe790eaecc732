import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { versionedHeadColumns, versionedHeadIndexes, versionedHeadState, versionStampColumns } from "./versioned";

/**
 * Saved routing configs (x-portkey-config: <id or slug>). A config is an immutable series of versions; the row here
 * is its metadata and a pointer to the latest version, so the hot path reads one join.
 */
export const configs = sqliteTable(
  "configs",
  {
    ...versionedHeadColumns(),
    ...versionedHeadState(),
  },
  (t) => versionedHeadIndexes("configs", t),
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
    /** createdBy: the admin identity (see src/admin/auth.ts adminIdentity), never a token. */
    ...versionStampColumns(),
  },
  // The composite key doubles as optimistic locking: two concurrent updates cannot both write version n+1.
  (t) => [primaryKey({ columns: [t.configId, t.version] })],
);

export type ConfigRow = typeof configs.$inferSelect;
export type ConfigVersionRow = typeof configVersions.$inferSelect;
