import { Hono } from "hono";
import { html } from "hono/html";
import { GROUP_BY_DIMENSIONS } from "../observability/admin-queries";
import { METADATA_KEY_PATTERN } from "../observability/settings";
import { sessionOf, type DashboardEnv } from "./context";
import { count, ms, percent, rangeOf, usd, type RangeId } from "./format";
import { analyticsFor } from "./overview";
import { page } from "./pages/layout";
import { chart, rangePicker } from "./pages/parts";

type Report = Awaited<ReturnType<typeof analyticsFor>>;
type Group = NonNullable<Report["groups"]>[number];

const COLORS = ["#2457c5", "#067647", "#dc6803", "#7a5af8", "#b42318"];

/** `by` from the query: a rollup dimension or metadata.<key>; anything else falls back to user. */
function groupByOf(raw: string | undefined): string {
  if (
    raw &&
    ((GROUP_BY_DIMENSIONS as readonly string[]).includes(raw) ||
      (raw.startsWith("metadata.") && METADATA_KEY_PATTERN.test(raw.slice(9))))
  )
    return raw;
  return "user";
}

const CSV_COLUMNS = [
  "value",
  "requests",
  "errors",
  "prompt_tokens",
  "completion_tokens",
  "cost_usd",
  "cache_hits",
  "cache_saved_usd",
  "latency_p50_ms",
  "latency_p95_ms",
] as const;

/** RFC 4180 field; a leading = + - @ is prefixed with ' so a spreadsheet never runs it as a formula. */
function csvField(value: unknown): string {
  let text = value === null || value === undefined ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text) && typeof value === "string") text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function usageCsv(groups: Group[]): string {
  const lines = groups.map((g) =>
    CSV_COLUMNS.map((col) => csvField(col === "value" ? g.value : g.totals[col])).join(","),
  );
  return `${[CSV_COLUMNS.join(","), ...lines].join("\r\n")}\r\n`;
}

function groupTable(by: string, groups: Group[]) {
  const rows = groups.map(
    (g) =>
      html`<tr>
        <td data-value="${g.value}">${g.value || "(none)"}</td>
        <td class="num" data-value="${g.totals.requests}">${count(g.totals.requests)}</td>
        <td class="num" data-value="${g.totals.errors}">${percent(g.totals.errors, g.totals.requests)}</td>
        <td class="num" data-value="${g.totals.total_tokens}">${count(g.totals.total_tokens)}</td>
        <td class="num" data-value="${g.totals.cost_usd}">${usd(g.totals.cost_usd)}</td>
        <td class="num" data-value="${g.totals.cache_saved_usd}">${usd(g.totals.cache_saved_usd)}</td>
        <td class="num" data-value="${g.totals.latency_p95_ms ?? ""}">${ms(g.totals.latency_p95_ms)}</td>
      </tr>`,
  );
  return html`<div class="table-wrap">
    <table class="sortable" id="usage">
      <thead>
        <tr>
          <th>${by}</th>
          <th class="num">requests</th>
          <th class="num">errors</th>
          <th class="num">tokens</th>
          <th class="num">cost</th>
          <th class="num">cache saved</th>
          <th class="num">p95</th>
        </tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>
  </div>`;
}

function costChart(groups: Group[], report: Report) {
  const top = groups.slice(0, COLORS.length);
  const x = [...new Set(top.flatMap((g) => g.series.map((p) => Date.parse(p.start) / 1000)))].sort((a, b) => a - b);
  const series = top.map((g, i) => {
    const byTime = new Map(g.series.map((p) => [Date.parse(p.start) / 1000, p.cost_usd]));
    return { label: g.value || "(none)", color: COLORS[i] ?? "#000", values: x.map((t) => byTime.get(t) ?? 0) };
  });
  return html`<div class="charts">
    ${chart("Cost over time (top 5)", { x, range: [Date.parse(report.from) / 1000, Date.parse(report.to) / 1000], series })}
  </div>`;
}

function toolbar(by: string, range: RangeId) {
  const options = [...GROUP_BY_DIMENSIONS].map(
    (d) => html`<option value="${d}" ${d === by ? "selected" : ""}>${d.replace("_", " ")}</option>`,
  );
  const metadata = by.startsWith("metadata.") ? by.slice(9) : "";
  const csv = `/dashboard/usage?${new URLSearchParams({ by, range, format: "csv" }).toString()}`;
  return html`<form method="get" action="/dashboard/usage" class="toolbar">
    <label for="u-by"
      >Group by<select id="u-by" name="by">
        ${options}
        <option value="metadata" ${metadata ? "selected" : ""}>metadata key…</option>
      </select></label
    >
    <label for="u-meta">Metadata key<input type="text" id="u-meta" name="metadata_key" value="${metadata}" /></label>
    <input type="hidden" name="range" value="${range}" /><button type="submit">Show</button>
    ${rangePicker("/dashboard/usage", range, { by })}
    <a class="button" href="${csv}" download>Export CSV</a>
  </form>`;
}

export const usagePages = new Hono<DashboardEnv>();

usagePages.get("/", async (c) => {
  const { session, csrf } = sessionOf(c);
  const rawBy = c.req.query("by") === "metadata" ? `metadata.${c.req.query("metadata_key") ?? ""}` : c.req.query("by");
  const by = groupByOf(rawBy);
  const range = rangeOf(c.req.query("range"));
  const report = await analyticsFor(c.env, range, by, 50);
  const groups = report.groups ?? [];
  if (c.req.query("format") === "csv") {
    const name = `usage-${by}-${range}.csv`.replace(/[^\w.-]/g, "_");
    return c.body(usageCsv(groups), 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}"`,
    });
  }
  const truncated = report.groups_truncated
    ? html`<p class="muted">The 50 groups with the highest cost are shown.</p>`
    : "";
  const content = groups.length
    ? html`${costChart(groups, report)}
        <h2>By ${by}</h2>
        ${groupTable(by, groups)}${truncated}`
    : html`<div class="empty">No requests in this range.</div>`;
  return c.html(
    page(
      { title: "Usage and cost", section: "usage", session, csrf, charts: groups.length > 0 },
      html`${toolbar(by, range)}${content}`,
    ),
  );
});
