import { html } from "hono/html";
import { traceRows } from "../observability/log-queries";
import { presentLogDetail } from "../observability/present";
import { openDb } from "../storage/db";
import { sessionOf, type DashboardContext } from "./context";
import { count, ms, usd, when } from "./format";
import { promptRun, promptVariables } from "./log-prompt";
import { page } from "./pages/layout";

type Detail = ReturnType<typeof presentLogDetail>;
interface Attempt {
  target: string;
  provider: string;
  model: string | null;
  retry: number;
  status: number | null;
  start_ms: number | null;
  latency_ms: number;
  error: string | null;
  skipped: string | null;
  cached?: boolean;
}

const isAttempt = (value: unknown): value is Attempt =>
  typeof value === "object" &&
  value !== null &&
  typeof (value as Attempt).target === "string" &&
  typeof (value as Attempt).latency_ms === "number";

function outcomeOf(a: Attempt): { kind: "ok" | "failed" | "cached" | "skipped"; label: string } {
  if (a.skipped) return { kind: "skipped", label: `skipped: ${a.skipped.replace("_", " ")}` };
  if (a.cached) return { kind: "cached", label: "cache hit" };
  const ok = a.status !== null && a.status >= 200 && a.status < 300;
  return { kind: ok ? "ok" : "failed", label: `${a.status ?? "no answer"}${a.error ? `: ${a.error}` : ""}` };
}

/**
 * Each try as a bar on the request's timeline: where it started, how long it took, how it ended (a fallback shows
 * as a failed bar on one target followed by a bar on the next).
 */
function waterfall(log: Detail) {
  const attempts = Array.isArray(log.attempts) ? log.attempts.filter(isAttempt) : [];
  if (attempts.length === 0)
    return html`<p class="muted">
      No provider was tried (the request ended before routing, or was served without one).
    </p>`;
  let cursor = 0;
  const placed = attempts.map((a: Attempt) => {
    const start = a.start_ms ?? cursor;
    cursor = start + a.latency_ms;
    return { a, start };
  });
  const total = Math.max(log.latency.total_ms ?? 0, cursor, 1);
  const rows = placed.map(({ a, start }) => {
    const { kind, label } = outcomeOf(a);
    const left = ((start / total) * 100).toFixed(2);
    const width = ((a.latency_ms / total) * 100).toFixed(2);
    return html`<div class="wf-row" data-attempt="${kind}">
      <div>
        <strong>${a.target}</strong>${a.retry > 0 ? ` (retry ${a.retry})` : ""}<br /><span class="muted"
          >${a.provider} · ${a.model ?? ""} · ${ms(a.latency_ms)}</span
        ><br />${label}
      </div>
      <div
        class="wf-track"
        role="img"
        aria-label="${a.target} from ${Math.round(start)} ms for ${Math.round(a.latency_ms)} ms: ${label}"
      >
        <div class="wf-bar ${kind}" data-left="${left}" data-width="${width}"></div>
      </div>
    </div>`;
  });
  return html`<div class="waterfall" id="waterfall">${rows}</div>`;
}

function facts(log: Detail) {
  const item = (label: string, value: unknown) =>
    html`<dt>${label}</dt>
      <dd>${value === null || value === undefined || value === "" ? "–" : String(value)}</dd>`;
  return html`<dl class="facts">
    ${item("Trace id", log.trace_id)} ${item("Started", when(log.started_at))}
    ${item("Status", `${log.status}${log.error_type ? ` (${log.error_type})` : ""}`)}
    ${item("Error", log.error_message)} ${item("Provider / model", `${log.provider ?? "–"} / ${log.model ?? "–"}`)}
    ${item("Requested model", log.requested_model)} ${item("Strategy", log.strategy_path)} ${item("User", log.user)}
    ${item("Gateway key", log.gateway_key_id)} ${item("Virtual key", log.virtual_key_id)}
    ${item("Metadata", JSON.stringify(log.metadata))} ${item("Cache", log.cache_status)}
    ${item("Stream", log.stream ? `yes (${log.finish_reason ?? "–"})` : "no")}
    ${item("Latency", `${ms(log.latency.total_ms)} total · ${ms(log.latency.upstream_ms)} provider · ${ms(log.latency.gateway_overhead_ms)} gateway · TTFT ${ms(log.latency.ttft_ms)}`)}
    ${item("Tokens", `${count(log.tokens.prompt)} in · ${count(log.tokens.completion)} out · ${count(log.tokens.cached_read)} cached${log.tokens.estimated ? " (estimated)" : ""}`)}
    ${item("Cost", `${usd(log.cost.usd)}${log.cost.unpriced ? " (unpriced)" : ""}${log.cache_saved_usd ? ` · ${usd(log.cache_saved_usd)} saved by the cache` : ""}`)}
  </dl>`;
}

function bodies(log: Detail) {
  if (!log.bodies) return html`<p class="muted">Bodies were not logged (LOG_BODIES, or the key's log_bodies).</p>`;
  return html`${promptVariables(log)}
    <h2>Request body</h2>
    <pre>${log.bodies.request ?? ""}</pre>
    <h2>Response body${log.bodies.truncated ? " (truncated)" : ""}</h2>
    <pre>${log.bodies.response ?? ""}</pre>`;
}

/** One request (by event id, or the first of a trace id): its trail, numbers, guardrail verdicts and bodies. */
export async function logDetail(c: DashboardContext) {
  const { session, csrf } = sessionOf(c);
  const id = c.req.param("id") ?? "";
  const rows = await traceRows(openDb(c.env), id);
  const row = rows.find((r) => r.id === id) ?? rows[0];
  const frame = { title: "Request", section: "logs" as const, session, csrf };
  if (!row)
    return c.html(
      page(
        frame,
        html`<div class="empty">
          No request logged as ${id} (logs arrive a few seconds after the request).
          <a href="/dashboard/logs">All logs</a>
        </div>`,
      ),
      404,
    );
  const log = presentLogDetail(row);
  const verdicts = row.hookResults
    ? html`<h2>Guardrail verdicts</h2>
        <pre>${row.hookResults}</pre>`
    : "";
  const others =
    rows.length > 1
      ? html`<p>
          <a href="/dashboard/logs?trace_id=${encodeURIComponent(log.trace_id)}"
            >${rows.length} requests share this trace id</a
          >
        </p>`
      : "";
  const body = html`<p><a href="/dashboard/logs">← Logs</a></p>
    ${facts(log)} ${others} ${promptRun(log)}
    <h2>Attempt trail</h2>
    ${waterfall(log)} ${verdicts} ${bodies(log)}`;
  return c.html(page(frame, body));
}
