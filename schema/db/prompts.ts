import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { versionedHeadColumns, versionedHeadIndexes, versionedHeadState, versionStampColumns } from "./versioned";

/**
 * The prompt registry (src/prompts). A prompt is an immutable series of versions 1, 2, 3...; labels point at one
 * version or a weighted split. Shaped like saved configs (schema/db/configs.ts): the row holds the latest version.
 */
export const prompts = sqliteTable(
  "prompts",
  {
    ...versionedHeadColumns(),
    description: text("description"),
    ...versionedHeadState(),
  },
  (t) => versionedHeadIndexes("prompts", t),
);

export const promptVersions = sqliteTable(
  "prompt_versions",
  {
    promptId: text("prompt_id")
      .notNull()
      .references(() => prompts.id),
    version: integer("version").notNull(),
    /** The version JSON (messages, model, params, routing, variables) as validated; never changed afterwards. */
    template: text("template").notNull(),
    ...versionStampColumns(),
  },
  // The composite key doubles as optimistic locking: two concurrent updates cannot both write version n + 1.
  (t) => [primaryKey({ columns: [t.promptId, t.version] })],
);

export const promptLabels = sqliteTable(
  "prompt_labels",
  {
    promptId: text("prompt_id")
      .notNull()
      .references(() => prompts.id),
    label: text("label").notNull(),
    /** JSON `[{"version": n, "weight": w}, ...]`: one entry (weight 1) for a plain label, several for a split. */
    versions: text("versions").notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
    updatedBy: text("updated_by").notNull(),
  },
  (t) => [primaryKey({ columns: [t.promptId, t.label] })],
);

export type PromptRow = typeof prompts.$inferSelect;
export type PromptVersionRow = typeof promptVersions.$inferSelect;
export type PromptLabelRow = typeof promptLabels.$inferSelect;
