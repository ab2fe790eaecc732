import { Hono } from "hono";
import { logsQuerySchema, splitMetadataFilters } from "../observability/admin-queries";
import { listLogRows, traceRows } from "../observability/log-queries";
import { presentLog, presentLogDetail } from "../observability/present";
import { GatewayError, badRequest } from "../errors";
import type { AdminEnv } from "./context";
import { openDb } from "../storage/db";
import { decodeCursor, toPage } from "../storage/pagination";
import { parseOrBadRequest } from "./validate";

/** /admin/logs: request logs written by the queue consumer (src/observability). Read-only. */
export const logRoutes = new Hono<AdminEnv>();

logRoutes.get("/", async (c) => {
  const { rest, metadata, bad } = splitMetadataFilters(c.req.query());
  if (bad)
    throw badRequest(
      `${bad}: expected metadata.<key>=<value> with a key of A-Z a-z 0-9 _ . - (at most 8 filters)`,
      bad,
      "invalid_request",
    );
  const query = parseOrBadRequest(logsQuerySchema, rest);
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const rows = await listLogRows(openDb(c.env), query, metadata, after);
  return c.json(toPage(rows, query.limit, (row) => ({ key: row.startedAt.getTime(), id: row.id }), presentLog));
});

/** Every request logged under a trace id (or the one request with that event id), bodies included when logged. */
logRoutes.get("/:traceId", async (c) => {
  const traceId = c.req.param("traceId");
  const rows = await traceRows(openDb(c.env), traceId);
  if (rows.length === 0) {
    throw new GatewayError(
      404,
      `no request logged with trace id ${JSON.stringify(traceId)} (logs arrive a few seconds after the request)`,
      {
        code: "log_not_found",
      },
    );
  }
  return c.json({ object: "trace", trace_id: traceId, data: rows.map(presentLogDetail) });
});
