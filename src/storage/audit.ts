import { auditLog } from "../../schema/db";
import type { Db } from "./db";

/**
 * Audit details are flat identifiers, versions and flags. The type forbids nested objects so a config body (which
 * may hold a provider api_key) cannot be dropped in by accident: record what changed, not the content.
 */
export type AuditDetails = Record<string, string | number | boolean | null>;

export interface AuditEvent {
  actor: string;
  /** A verb: create, update, rename, archive, rotate, disable... */
  action: string;
  /** A noun: config, api_key, virtual_key... */
  resourceType: string;
  resourceId: string;
  details?: AuditDetails;
  at?: Date;
}

/** The insert for one audit row, to put in the same D1 batch as the change it records (both or neither commit). */
export function auditInsert(db: Db, event: AuditEvent) {
  return db.insert(auditLog).values({
    id: crypto.randomUUID(),
    at: event.at ?? new Date(),
    actor: event.actor,
    action: event.action,
    resourceType: event.resourceType,
    resourceId: event.resourceId,
    details: JSON.stringify(event.details ?? {}),
  });
}
