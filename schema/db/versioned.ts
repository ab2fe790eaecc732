import { sql } from "drizzle-orm";
import { index, integer, text, uniqueIndex, type AnySQLiteColumn } from "drizzle-orm/sqlite-core";

/**
 * Columns and indexes shared by the saved, versioned resources (configs, guardrails, prompts): a head row that
 * points at the latest of an immutable series of versions. Builders are made fresh per call: a drizzle column
 * builder belongs to one table.
 */

/** The head row's identity and bookkeeping; `extra` columns (e.g. a description) go between name and createdAt. */
export function versionedHeadColumns() {
  return {
    id: text("id").primaryKey(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
  };
}

export function versionedHeadState() {
  return {
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
    latestVersion: integer("latest_version").notNull(),
    archived: integer("archived", { mode: "boolean" }).notNull().default(false),
  };
}

/**
 * The slug is unique among live rows only: archiving frees it for a new row, the archived one stays reachable by id.
 * The second index serves keyset pagination of the admin list (newest first).
 */
export function versionedHeadIndexes(
  table: string,
  t: { id: AnySQLiteColumn; slug: AnySQLiteColumn; createdAt: AnySQLiteColumn },
) {
  return [
    uniqueIndex(`${table}_live_slug_idx`)
      .on(t.slug)
      .where(sql`archived = 0`),
    index(`${table}_created_idx`).on(t.createdAt, t.id),
  ];
}

/** When and by whom (an admin identity, never a token) a version was written. */
export function versionStampColumns() {
  return {
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    createdBy: text("created_by").notNull(),
  };
}
