import { and, desc, eq, gte, lt, or, type SQL } from "drizzle-orm";
import { Hono } from "hono";
import * as z from "zod";
import { pageQuerySchema } from "../../schema/admin";
import { auditLog, type AuditRow } from "../../schema/db";
import { timeParamSchema } from "../observability/admin-queries";
import type { AdminEnv } from "./context";
import { openDb, type Db } from "../storage/db";
import { decodeCursor, toPage, type Cursor } from "../storage/pagination";
import { parseOrBadRequest } from "./validate";

/**
 * GET /admin/audit: the audit log (written by auditInsert, src/admin/audit.ts), newest first, keyset-paginated like
 * /admin/logs. Rows hold identifiers only (AuditDetails forbids nested values; writers record ids, slugs, versions
 * and visible key prefixes, never a secret or a config body), so they are returned as stored.
 */
export const auditRoutes = new Hono<AdminEnv>();

const text = z.string().min(1).max(256);

/** Unknown parameters are a 400: a typo must not silently widen the query. `since` inclusive, `until` exclusive. */
const auditQuerySchema = z.strictObject({
  ...pageQuerySchema.shape,
  actor: text.optional(),
  action: text.optional(),
  resource_type: text.optional(),
  resource_id: text.optional(),
  since: timeParamSchema.optional(),
  until: timeParamSchema.optional(),
});

type AuditQuery = z.infer<typeof auditQuerySchema>;

function conditions(query: AuditQuery, after: Cursor | undefined): Array<SQL | undefined> {
  return [
    query.actor === undefined ? undefined : eq(auditLog.actor, query.actor),
    query.action === undefined ? undefined : eq(auditLog.action, query.action),
    query.resource_type === undefined ? undefined : eq(auditLog.resourceType, query.resource_type),
    query.resource_id === undefined ? undefined : eq(auditLog.resourceId, query.resource_id),
    query.since === undefined ? undefined : gte(auditLog.at, new Date(query.since)),
    query.until === undefined ? undefined : lt(auditLog.at, new Date(query.until)),
    after === undefined
      ? undefined
      : or(lt(auditLog.at, new Date(after.key)), and(eq(auditLog.at, new Date(after.key)), lt(auditLog.id, after.id))),
  ];
}

function listAuditRows(db: Db, query: AuditQuery, after: Cursor | undefined): Promise<AuditRow[]> {
  return db
    .select()
    .from(auditLog)
    .where(and(...conditions(query, after)))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(query.limit + 1)
    .all();
}

function parseDetails(details: string): unknown {
  try {
    return JSON.parse(details);
  } catch {
    return {}; // every writer stores JSON; an unreadable row must not break the listing
  }
}

function presentAuditRow(row: AuditRow) {
  return {
    object: "audit_event" as const,
    id: row.id,
    at: row.at.toISOString(),
    actor: row.actor,
    action: row.action,
    resource_type: row.resourceType,
    resource_id: row.resourceId,
    details: parseDetails(row.details),
  };
}

auditRoutes.get("/", async (c) => {
  const query = parseOrBadRequest(auditQuerySchema, c.req.query());
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const rows = await listAuditRows(openDb(c.env), query, after);
  return c.json(toPage(rows, query.limit, (row) => ({ key: row.at.getTime(), id: row.id }), presentAuditRow));
});
