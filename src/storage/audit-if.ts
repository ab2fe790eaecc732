import { sql, type SQL } from "drizzle-orm";
import { auditLog } from "../../schema/db";
import type { AuditEvent } from "./audit";
import type { Db } from "./db";

/**
 * An audit row that is written only if `applied` holds once the batch's earlier statements ran: for conditional
 * updates (rotate, re-encrypt guard on the old IV), so a write that lost a race leaves no audit row claiming it
 * happened. Same columns and encoding as auditInsert (src/admin/audit.ts).
 */
export function auditInsertIf(db: Db, event: AuditEvent, applied: SQL) {
  const at = (event.at ?? new Date()).getTime();
  const details = JSON.stringify(event.details ?? {});
  return db
    .insert(auditLog)
    .select(
      sql`SELECT ${crypto.randomUUID()}, ${at}, ${event.actor}, ${event.action}, ${event.resourceType}, ${event.resourceId}, ${details} WHERE ${applied}`,
    );
}

/** The condition "virtual key `id` now holds the IV `iv`": true exactly when the guarded update applied. */
export const holdsIv = (id: string, iv: string): SQL =>
  sql`EXISTS (SELECT 1 FROM virtual_keys WHERE id = ${id} AND secret_iv = ${iv})`;

/**
 * The condition "row `id` of `table` now carries `updatedAt`": true exactly when the change that set it applied
 * (changes to keys are guarded on the row not being deleted, so a deleted key cannot be revived by a racing edit).
 */
export const updatedTo = (table: "gateway_keys" | "virtual_keys", id: string, updatedAt: Date): SQL =>
  sql`EXISTS (SELECT 1 FROM ${sql.identifier(table)} WHERE id = ${id} AND updated_at = ${updatedAt.getTime()})`;
