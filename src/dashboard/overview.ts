import { Hono } from "hono";
import { html } from "hono/html";
import { analytics } from "../observability/analytics";
import { analyticsMetadataKey } from "../observability/settings";
import { openDb } from "../storage/db";
import { sessionOf, type DashboardEnv } from "./context";
import { count, ms, percent, rangeOf, RANGES, usd, type RangeId } from "./format";
import { page } from "./pages/layout";
import { customRangeForm, customReport, customWindow } from "./overview-window";
import { card, chart, firstRequestHint, rangePicker, type ChartSpec } from "./pages/parts";

type Report = Awaited<ReturnType<typeof analytics>>;
type Totals = Report["totals"];

/** The analytics query of a range: the same function /admin/analytics answers with. */
export function analyticsFor(env: Env, range: RangeId, groupBy?: string, limit = 5, now = Date.now()) {
  const { ms: span, interval } = RANGES[range];
  return analytics(
    openDb(env),
    { interval, from: now - span, limit, ...(groupBy ? { group_by: groupBy } : {}) },
    analyticsMetadataKey(env),
    now,
  );
}

const seconds = (iso: string) => Date.parse(iso) / 1000;

function charts(report: Report) {
  const x = report.series.map((p) => seconds(p.start));
  const range: [number, number] = [seconds(report.from), seconds(report.to)];
  const of = (pick: (p: Report["series"][number]) => number | null) => report.series.map(pick);
  const traffic: ChartSpec = {
    x,
    range,
    series: [
      { label: "requests", color: "#2457c5", values: of((p) => p.requests) },
      { label: "errors", color: "#b42318", values: of((p) => p.errors) },
    ],
  };
  const cost: ChartSpec = {
    x,
    range,
    series: [{ label: "cost (USD)", color: "#067647", values: of((p) => p.cost_usd) }],
  };
  const latency: ChartSpec = {
    x,
    range,
    series: [
      { label: "p50 ms", color: "#7a5af8", values: of((p) => p.latency_p50_ms) },
      { label: "p95 ms", color: "#dc6803", values: of((p) => p.latency_p95_ms) },
    ],
  };
  return html`<div class="charts">
    ${chart("Requests and errors", traffic)}${chart("Cost", cost)}${chart("Latency", latency)}
  </div>`;
}

function totalsCards(t: Totals) {
  return html`<div class="cards">
    ${card("Requests", count(t.requests), `${count(t.errors)} errors`, "requests")}
    ${card("Error rate", percent(t.errors, t.requests), "", "error-rate")}
    ${card("Cost", usd(t.cost_usd), t.unpriced_requests ? `${count(t.unpriced_requests)} unpriced` : "priced requests", "cost")}
    ${card("Tokens", count(t.total_tokens), `${count(t.prompt_tokens)} in · ${count(t.completion_tokens)} out`, "tokens")}
    ${card("Cache hit rate", percent(t.cache_hits, t.requests), `${usd(t.cache_saved_usd)} saved`, "cache")}
    ${card("Guardrail denials", count(t.guardrail_denied), `${count(t.guardrail_flagged)} flagged`, "guardrails")}
    ${card("Latency p50 / p95", `${ms(t.latency_p50_ms)}`, `p95 ${ms(t.latency_p95_ms)}`, "latency")}
  </div>`;
}

/** A top-5 table; each row links to the logs filtered by that value. */
function topTable(title: string, filter: string, report: Report) {
  const rows = (report.groups ?? []).map(
    (g) =>
      html`<tr>
        <td>
          <a href="/dashboard/logs?${new URLSearchParams({ [filter]: g.value }).toString()}">${g.value || "(none)"}</a>
        </td>
        <td class="num">${count(g.totals.requests)}</td>
        <td class="num">${usd(g.totals.cost_usd)}</td>
      </tr>`,
  );
  return html`<section>
    <h2>${title}</h2>
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th>${filter}</th>
            <th class="num">requests</th>
            <th class="num">cost</th>
          </tr>
        </thead>
        <tbody>
          ${
            rows.length
              ? rows
              : html`<tr>
                  <td colspan="3" class="muted">none</td>
                </tr>`
          }
        </tbody>
      </table>
    </div>
  </section>`;
}

export const overviewRoutes = new Hono<DashboardEnv>();

overviewRoutes.get("/", async (c) => {
  const { session, csrf } = sessionOf(c);
  const range = rangeOf(c.req.query("range"));
  const custom = customWindow(c.req.query());
  const report = custom ? customReport(c.env, custom) : (groupBy?: string) => analyticsFor(c.env, range, groupBy);
  const [all, models, users, keys] = await Promise.all([report(), report("model"), report("user"), report("key")]);
  const empty = all.totals.requests === 0;
  const body = html`<div class="toolbar">
      ${rangePicker("/dashboard", range)}
      <label class="inline" for="autorefresh"><input type="checkbox" id="autorefresh" /> Auto-refresh (15 s)</label>
      <span class="muted"
        >${all.from.slice(0, 16)}Z → ${all.to.slice(0, 16)}Z, ${all.interval === "day" ? "daily" : "hourly"}
        rollups</span
      >
    </div>
    ${customRangeForm(c.req.query())} ${empty ? firstRequestHint(new URL(c.req.url).origin) : ""}
    ${totalsCards(all.totals)} ${empty ? "" : charts(all)}
    <div class="tops">
      ${topTable("Top models", "model", models)}${topTable("Top users", "user", users)}${topTable("Top keys", "key", keys)}
    </div>`;
  return c.html(page({ title: "Overview", section: "overview", session, csrf, charts: !empty }, body));
});
