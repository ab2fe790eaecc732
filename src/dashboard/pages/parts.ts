import { html } from "hono/html";
import { RANGES, type RangeId } from "../format";

/** Shared page pieces: the range picker, a stat card, a chart slot, the first-request empty state. */

export function rangePicker(path: string, current: RangeId, extra: Record<string, string> = {}) {
  const links = Object.keys(RANGES).map((id) => {
    const query = new URLSearchParams({ ...extra, range: id }).toString();
    return html`<a href="${path}?${query}" aria-current="${id === current ? "true" : "false"}">${id}</a>`;
  });
  return html`<div class="segmented" role="group" aria-label="Time range">${links}</div>`;
}

export const card = (label: string, value: string, sub = "", id = "") =>
  html`<div class="card" ${id ? html`data-stat="${id}"` : ""}>
    <div class="label">${label}</div>
    <div class="value">${value}</div>
    <div class="sub">${sub}</div>
  </div>`;

export interface ChartSpec {
  /** Epoch seconds. */
  x: number[];
  /** The window shown, epoch seconds [from, to]. */
  range: [number, number];
  series: Array<{ label: string; color: string; values: Array<number | null> }>;
}

/** A chart slot: app.js draws it with uPlot from data-chart (JSON in an attribute, escaped: no inline script). */
export const chart = (title: string, spec: ChartSpec) =>
  html`<section class="chart-box" aria-label="${title}">
    <h2>${title}</h2>
    <div data-chart="${JSON.stringify(spec)}"></div>
  </section>`;

export function firstRequestHint(origin: string) {
  const curl = `curl ${origin}/v1/chat/completions \\
  -H "Authorization: Bearer $OPENAI_API_KEY" \\
  -H "x-portkey-provider: openai" \\
  -H "Content-Type: application/json" \\
  -d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello"}]}'`;
  return html`<div class="empty">
    <h2>No requests in this time range yet</h2>
    <p>
      Send a first request through the gateway (with a gateway key instead of the provider key outside passthrough
      mode); it shows up here a few seconds later:
    </p>
    <pre>${curl}</pre>
  </div>`;
}
