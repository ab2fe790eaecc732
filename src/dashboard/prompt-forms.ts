import { html } from "hono/html";
import type { PromptRow } from "../../schema/db";
import { formProblem, hiddenCsrf, jsonField, textField, type FormState } from "./pages/form-fields";
import { actionButton } from "./pages/key-forms";
import { META_FIELDS, VERSION_FIELDS } from "./prompt-fields";
import { promptHref } from "./prompt-views";

/** The prompt forms: create (slug + first version), a new version, archive. */

const EXAMPLE_MESSAGES = JSON.stringify(
  [
    { role: "system", content: "You answer in {{language}}." },
    { role: "user", content: "{{question}}" },
  ],
  null,
  2,
);

/** The version's fields, shared by both forms (`p` create, `v` new version: ids stay unique per page). */
function versionFields(prefix: string, state: FormState) {
  return html`${jsonField(prefix, state, "messages", "Messages JSON (Mustache: {{variable}})", 8)}
  ${textField(prefix, state, "model", "Model (optional)", "e.g. gpt-4o-mini")}
  ${jsonField(prefix, state, "params", 'Params JSON (optional), e.g. {"temperature": 0.2}', 3)}
  ${jsonField(prefix, state, "variables", 'Variables JSON (optional: derived from the messages), e.g. [{"name": "language", "default": "English"}]', 4)}
  ${textField(prefix, state, "virtual_key", "Virtual key slug (optional)")}
  ${textField(prefix, state, "config", "Config: a saved config's slug or inline JSON (optional; not with a virtual key)")}`;
}

export function createPromptForm(csrf: string, state: FormState) {
  const shown = { ...state, values: { messages: EXAMPLE_MESSAGES, ...state.values } };
  return html`<p><a href="/dashboard/prompts">← Prompts</a></p>
    ${formProblem(state, ["slug", ...META_FIELDS, ...VERSION_FIELDS])}
    <form method="post" action="/dashboard/prompts" class="stack" id="create-prompt">
      ${hiddenCsrf(csrf)} ${textField("p", shown, "slug", "Slug", "e.g. support-answer")}
      ${textField("p", shown, "name", "Name (optional)")}
      ${textField("p", shown, "description", "Description (optional)")} ${versionFields("p", shown)}
      <button type="submit">Create prompt</button>
    </form>`;
}

export function newVersionForm(row: PromptRow, csrf: string, state: FormState) {
  return html`<p><a href="${promptHref(row)}">← ${row.slug}</a></p>
    <p>Version ${row.latestVersion + 1} starts as a copy of v${row.latestVersion}. Labels do not move by themselves.</p>
    ${formProblem(state, [...META_FIELDS, ...VERSION_FIELDS])}
    <form method="post" action="${promptHref(row)}/versions" class="stack" id="new-prompt-version">
      ${hiddenCsrf(csrf)} ${textField("v", state, "name", "Name")}
      ${textField("v", state, "description", "Description")} ${versionFields("v", state)}
      <button type="submit">Save version ${row.latestVersion + 1}</button>
    </form>`;
}

/** The prompt page's admin actions: a new version, archive. */
export function promptActions(row: PromptRow, csrf: string) {
  if (row.archived) return html`<p class="muted">Archived: its versions stay readable, it can no longer change.</p>`;
  return html`<div class="actions" id="prompt-actions">
    <a href="${promptHref(row)}/versions/new" class="button">New version</a>
    ${actionButton(csrf, `${promptHref(row)}/archive`, "Archive prompt", {
      danger: true,
      confirm: `Archive ${row.slug}? Requests naming it will fail.`,
    })}
  </div>`;
}
