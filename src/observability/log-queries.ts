import { and, asc, desc, eq, getTableColumns, gte, lt, or, sql, type SQL } from "drizzle-orm";
import { requestLogs } from "../../schema/db";
import type { Db } from "../storage/db";
import type { Cursor } from "../storage/pagination";
import type { LogsQuery } from "./admin-queries";

const { requestBody: _requestBody, responseBody: _responseBody, ...summaryColumns } = getTableColumns(requestLogs);

function statusCondition(status: string): SQL | undefined {
  if (status === "error") return eq(requestLogs.isError, true);
  if (status === "success") return eq(requestLogs.isError, false);
  if (status.endsWith("xx")) {
    const floor = Number(status[0]) * 100;
    return and(gte(requestLogs.status, floor), lt(requestLogs.status, floor + 100));
  }
  return eq(requestLogs.status, Number(status));
}

function conditions(query: LogsQuery, metadata: ReadonlyArray<[string, string]>, after: Cursor | undefined): SQL[] {
  const out: Array<SQL | undefined> = [
    query.from === undefined ? undefined : gte(requestLogs.startedAt, new Date(query.from)),
    query.to === undefined ? undefined : lt(requestLogs.startedAt, new Date(query.to)),
    query.key === undefined ? undefined : eq(requestLogs.gatewayKeyId, query.key),
    query.virtual_key === undefined ? undefined : eq(requestLogs.virtualKeyId, query.virtual_key),
    query.provider === undefined ? undefined : eq(requestLogs.provider, query.provider),
    // The model a client asked for, or the one that served it: either finds the request.
    query.model === undefined
      ? undefined
      : or(eq(requestLogs.model, query.model), eq(requestLogs.requestedModel, query.model)),
    query.user === undefined ? undefined : eq(requestLogs.user, query.user),
    query.trace_id === undefined ? undefined : eq(requestLogs.traceId, query.trace_id),
    query.status === undefined ? undefined : statusCondition(query.status),
    // Keys passed METADATA_KEY_PATTERN, so the quoted JSON path member cannot be broken out of.
    ...metadata.map(([key, value]) => sql`json_extract(${requestLogs.metadata}, ${`$."${key}"`}) = ${value}`),
    after === undefined
      ? undefined
      : or(
          lt(requestLogs.startedAt, new Date(after.key)),
          and(eq(requestLogs.startedAt, new Date(after.key)), lt(requestLogs.id, after.id)),
        ),
  ];
  return out.filter((c): c is SQL => c !== undefined);
}

/** A page of log summaries (no bodies), newest first; `limit + 1` rows so the caller knows if there is more. */
export function listLogRows(
  db: Db,
  query: LogsQuery,
  metadata: ReadonlyArray<[string, string]>,
  after: Cursor | undefined,
) {
  return db
    .select(summaryColumns)
    .from(requestLogs)
    .where(and(...conditions(query, metadata, after)))
    .orderBy(desc(requestLogs.startedAt), desc(requestLogs.id))
    .limit(query.limit + 1);
}

export type LogSummaryRow = Awaited<ReturnType<typeof listLogRows>>[number];

/** Every request of a trace id (callers may reuse one), or the request with that event id; oldest first. */
export function traceRows(db: Db, traceIdOrEventId: string) {
  return db
    .select()
    .from(requestLogs)
    .where(or(eq(requestLogs.traceId, traceIdOrEventId), eq(requestLogs.id, traceIdOrEventId)))
    .orderBy(asc(requestLogs.startedAt), asc(requestLogs.id))
    .limit(100);
}
