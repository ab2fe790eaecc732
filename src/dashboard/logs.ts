import { Hono } from "hono";
import { html } from "hono/html";
import { logsQuerySchema, splitMetadataFilters } from "../observability/admin-queries";
import { listLogRows } from "../observability/log-queries";
import { presentLog } from "../observability/present";
import { GatewayError } from "../errors";
import { openDb } from "../storage/db";
import { decodeCursor, toPage } from "../storage/pagination";
import { parseOrBadRequest } from "../admin/validate";
import { sessionOf, type DashboardEnv } from "./context";
import { logDetail } from "./log-detail";
import { count, ms, RANGES, usd, when } from "./format";
import { page } from "./pages/layout";

/** The filters the page offers, each a parameter of GET /admin/logs (same schema, same query). */
const TEXT_FILTERS = ["user", "model", "provider", "key", "virtual_key", "trace_id"] as const;
const STATUS_CLASSES = ["", "2xx", "4xx", "5xx", "error", "success"] as const;
const PAGE_SIZE = 50;

type Log = ReturnType<typeof presentLog>;

/** The page's query string -> the admin API's logs query (empty fields dropped, the range turned into `from`). */
function adminQueryOf(params: Record<string, string>, now: number): Record<string, string> {
  const out: Record<string, string> = { limit: String(PAGE_SIZE) };
  for (const name of [...TEXT_FILTERS, "status", "cursor"]) {
    const value = params[name]?.trim();
    if (value) out[name] = value;
  }
  for (const [name, value] of Object.entries(params)) if (name.startsWith("metadata.") && value) out[name] = value;
  const range = params.range;
  if (range !== undefined && Object.hasOwn(RANGES, range))
    out.from = String(now - RANGES[range as keyof typeof RANGES].ms);
  return out;
}

function filterForm(params: Record<string, string>) {
  const text = TEXT_FILTERS.map(
    (name) =>
      html`<label for="f-${name}"
        >${name.replace("_", " ")}<input type="search" id="f-${name}" name="${name}" value="${params[name] ?? ""}"
      /></label>`,
  );
  const ranges = ["", ...Object.keys(RANGES)].map(
    (id) => html`<option value="${id}" ${params.range === id ? "selected" : ""}>${id || "all time"}</option>`,
  );
  const statuses = STATUS_CLASSES.map(
    (s) => html`<option value="${s}" ${params.status === s ? "selected" : ""}>${s || "any"}</option>`,
  );
  return html`<form method="get" action="/dashboard/logs" class="toolbar" aria-label="Filters">
    <label for="f-range"
      >time<select id="f-range" name="range">
        ${ranges}
      </select></label
    >
    <label for="f-status"
      >status<select id="f-status" name="status">
        ${statuses}
      </select></label
    >
    ${text}
    <button type="submit">Filter</button> <a href="/dashboard/logs">Clear</a>
  </form>`;
}

const statusCell = (log: Log) => html`<td class="${log.is_error ? "status-bad" : "status-ok"}">${log.status}</td>`;

function logRow(log: Log) {
  return html`<tr>
    <td><a href="/dashboard/logs/${encodeURIComponent(log.id)}">${when(log.started_at)}</a></td>
    ${statusCell(log)}
    <td>${log.provider ?? ""}</td>
    <td>${log.model ?? ""}</td>
    <td>${log.user ?? ""}</td>
    <td>${log.gateway_key_id ?? ""}</td>
    <td class="num">${Array.isArray(log.attempts) ? log.attempts.length : 0}</td>
    <td class="num">${ms(log.latency.total_ms)}</td>
    <td class="num">${count(log.tokens.total)}</td>
    <td class="num">${usd(log.cost.usd)}</td>
  </tr>`;
}

function logTable(logs: Log[]) {
  if (logs.length === 0)
    return html`<div class="empty">
      No request matches these filters. Logs arrive a few seconds after each request.
    </div>`;
  return html`<div class="table-wrap">
    <table id="logs">
      <thead>
        <tr>
          <th>started</th>
          <th>status</th>
          <th>provider</th>
          <th>model</th>
          <th>user</th>
          <th>key</th>
          <th class="num">tries</th>
          <th class="num">latency</th>
          <th class="num">tokens</th>
          <th class="num">cost</th>
        </tr>
      </thead>
      <tbody>
        ${logs.map(logRow)}
      </tbody>
    </table>
  </div>`;
}

export const logPages = new Hono<DashboardEnv>();

logPages.get("/", async (c) => {
  const { session, csrf } = sessionOf(c);
  const params = c.req.query();
  const frame = { title: "Logs", section: "logs" as const, session, csrf };
  try {
    const { rest, metadata, bad } = splitMetadataFilters(adminQueryOf(params, Date.now()));
    if (bad) throw new GatewayError(400, `${bad}: expected metadata.<key>=<value>`);
    const query = parseOrBadRequest(logsQuerySchema, rest);
    const rows = await listLogRows(
      openDb(c.env),
      query,
      metadata,
      query.cursor === undefined ? undefined : decodeCursor(query.cursor),
    );
    const list = toPage(rows, query.limit, (row) => ({ key: row.startedAt.getTime(), id: row.id }), presentLog);
    const next = list.next_cursor
      ? `/dashboard/logs?${new URLSearchParams({ ...params, cursor: list.next_cursor }).toString()}`
      : null;
    const pager = html`<p class="pager">
      ${params.cursor ? html`<a href="/dashboard/logs?${new URLSearchParams({ ...params, cursor: "" }).toString()}">Newest</a> · ` : ""}${next ? html`<a href="${next}" rel="next">Older requests</a>` : html`<span class="muted">End of the list</span>`}
    </p>`;
    return c.html(page(frame, html`${filterForm(params)}${logTable(list.data)}${pager}`));
  } catch (error) {
    if (!(error instanceof GatewayError) || error.status !== 400) throw error;
    return c.html(
      page(
        frame,
        html`${filterForm(params)}
          <p class="error-box" role="alert">${error.message}</p>`,
      ),
      400,
    );
  }
});

logPages.get("/:id", logDetail);
