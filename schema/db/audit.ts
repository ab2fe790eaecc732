import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Every admin change (create, update, delete...) with who made it. `details` holds identifiers and versions only,
 * never a secret or a config body: see src/admin/audit.ts.
 */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: text("id").primaryKey(),
    at: integer("at", { mode: "timestamp_ms" }).notNull(),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    resourceType: text("resource_type").notNull(),
    resourceId: text("resource_id").notNull(),
    details: text("details").notNull().default("{}"),
  },
  (t) => [index("audit_log_resource_idx").on(t.resourceType, t.resourceId), index("audit_log_at_idx").on(t.at)],
);

export type AuditRow = typeof auditLog.$inferSelect;
