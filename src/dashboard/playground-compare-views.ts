import { html } from "hono/html";
import type { PromptRow, VirtualKeyRow } from "../../schema/db";
import { count, ms, usd } from "./format";
import { formProblem, hiddenCsrf, jsonField, textField, type FormState } from "./pages/form-fields";
import type { RunSummary } from "./playground-summary";
import { promptHref } from "./prompt-views";

/** The side-by-side playground: the form (two versions, a virtual key, variables) and one column per run. */

export const compareHref = (row: Pick<PromptRow, "id">) => `${promptHref(row)}/compare`;

export const COMPARE_FIELDS = ["version_a", "version_b", "virtual_key", "variables"] as const;

function virtualKeySelect(state: FormState, keys: VirtualKeyRow[]) {
  const chosen = state.values.virtual_key ?? "";
  const error = state.error?.field === "virtual_key" ? state.error : null;
  const options = keys
    .filter((k) => k.status === "active")
    .map(
      (k) => html`<option value="${k.slug}" ${k.slug === chosen ? "selected" : ""}>${k.slug} (${k.provider})</option>`,
    );
  return html`<label for="cmp-virtual_key"
    >Virtual key that pays for both runs
    <select
      id="cmp-virtual_key"
      name="virtual_key"
      ${error ? html`aria-invalid="true" aria-describedby="cmp-virtual_key-error"` : ""}
    >
      <option value="">choose a virtual key</option>
      ${options}
    </select>
    ${error ? html`<span class="field-error" id="cmp-virtual_key-error" role="alert">${error.message}</span>` : ""}
  </label>`;
}

export function compareForm(row: PromptRow, csrf: string, state: FormState, keys: VirtualKeyRow[]) {
  const noKeys =
    keys.length === 0
      ? html`<p class="empty">No virtual key yet: create one under <a href="/dashboard/keys">Keys</a> first.</p>`
      : "";
  return html`${formProblem(state, COMPARE_FIELDS)} ${noKeys}
    <form method="post" action="${compareHref(row)}" class="stack" id="compare-form">
      ${hiddenCsrf(csrf)} ${textField("cmp", state, "version_a", "Version A: a number or a label", "1  or  production")}
      ${textField("cmp", state, "version_b", "Version B: a number or a label", "2  or  staging")}
      ${virtualKeySelect(state, keys)} ${jsonField("cmp", state, "variables", "Variables (JSON object)", 6)}
      <button type="submit">Run both</button>
    </form>
    <p class="hint">
      Each run is a real request: it goes through guardrails, the cache and the virtual key's limits, costs money and is
      logged with metadata <code>_source: dashboard-playground</code>.
    </p>`;
}

function runColumn(name: string, run: RunSummary) {
  const numbers = html`<dl class="run-numbers">
    <dt>prompt tokens</dt>
    <dd data-prompt-tokens>${count(run.promptTokens)}</dd>
    <dt>completion tokens</dt>
    <dd data-completion-tokens>${count(run.completionTokens)}</dd>
    <dt>cost</dt>
    <dd data-cost="${run.costUsd ?? ""}">${run.costUsd === null ? "unpriced" : usd(run.costUsd)}</dd>
    <dt>latency</dt>
    <dd data-latency>${ms(run.latencyMs)}</dd>
    <dt>status</dt>
    <dd data-status>${run.status}</dd>
  </dl>`;
  const answer = run.error
    ? html`<p class="error-box" role="alert" data-run-error>${run.error}</p>`
    : html`<pre class="run-answer" data-answer>${run.answer}</pre>`;
  return html`<section class="run" data-run="${name}" aria-label="Version ${name}">
    <h3>${name}: v${run.version ?? "?"}</h3>
    ${answer} ${numbers}
    <p><a href="/dashboard/logs/${run.traceId}" data-log-link>This run's log</a> (arrives a few seconds later)</p>
  </section>`;
}

export function compareResults(runs: readonly [RunSummary, RunSummary] | null) {
  if (!runs) return "";
  return html`<h2>Side by side</h2>
    <div class="runs" id="compare-results">${runColumn("A", runs[0])} ${runColumn("B", runs[1])}</div>`;
}
