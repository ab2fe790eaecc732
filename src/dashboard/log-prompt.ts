import { html } from "hono/html";
import type { presentLogDetail } from "../observability/present";

/**
 * A prompt run's part of a request's page: which prompt, version and label ran, and the variables it was rendered
 * with when bodies were logged. Read from presentLogDetail(), the presenter of GET /admin/logs/{id}, so the page and
 * the API show the same fields (the variables are stored scrubbed, like the bodies).
 */
type Detail = ReturnType<typeof presentLogDetail>;

export function promptRun(log: Detail) {
  if (!("prompt" in log) || !log.prompt) return "";
  const { id, version, label } = log.prompt;
  return html`<h2>Prompt</h2>
    <dl class="facts" id="log-prompt">
      <dt>Prompt</dt>
      <dd>
        <a href="/dashboard/prompts/${encodeURIComponent(id)}"><code>${id}</code></a>
      </dd>
      <dt>Version</dt>
      <dd>${version === null ? "–" : `v${version}`}</dd>
      <dt>Label</dt>
      <dd>${label ?? "– (called by id or version)"}</dd>
    </dl>`;
}

export function promptVariables(log: Detail) {
  if (!log.bodies || !("prompt_variables" in log.bodies)) return "";
  return html`<h2>Prompt variables${log.bodies.truncated ? " (truncated)" : ""}</h2>
    <pre id="log-prompt-variables">${log.bodies.prompt_variables}</pre>`;
}
