import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { versionedHeadColumns, versionedHeadIndexes, versionedHeadState, versionStampColumns } from "./versioned";

/**
 * Saved guardrails (referenced by id or slug from `input_guardrails` / `output_guardrails`): like saved configs, an
 * immutable series of versions behind one metadata row that points at the latest.
 */
export const guardrails = sqliteTable(
  "guardrails",
  {
    ...versionedHeadColumns(),
    ...versionedHeadState(),
  },
  (t) => versionedHeadIndexes("guardrails", t),
);

export const guardrailVersions = sqliteTable(
  "guardrail_versions",
  {
    guardrailId: text("guardrail_id")
      .notNull()
      .references(() => guardrails.id),
    version: integer("version").notNull(),
    /** The guardrail JSON as the admin sent it (validated): one shorthand item or full-form hook, minus slug/name. */
    definition: text("definition").notNull(),
    ...versionStampColumns(),
  },
  (t) => [primaryKey({ columns: [t.guardrailId, t.version] })],
);

/**
 * Lifetime check counters for /metrics (`ai_gateway_guardrail_checks_total{check, verdict}`), upserted by the log
 * consumer from each batch, like metric_totals.
 */
export const guardrailCheckTotals = sqliteTable(
  "guardrail_check_totals",
  {
    check: text("check").notNull(),
    /** "pass" or "fail". */
    verdict: text("verdict").notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.check, t.verdict] })],
);

export type GuardrailRow = typeof guardrails.$inferSelect;
export type GuardrailVersionRow = typeof guardrailVersions.$inferSelect;
