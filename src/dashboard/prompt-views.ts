import { html } from "hono/html";
import type { PromptRow, PromptVersionRow } from "../../schema/db";
import type { presentLabels } from "../prompts/present";
import { when } from "./format";
import { formProblem, hiddenCsrf, textField, type FormState } from "./pages/form-fields";
import { savedItemTable } from "./saved-table";

/** The prompts page's pieces: list, a prompt's labels (with the move/split form) and versions. */

export const promptHref = (row: Pick<PromptRow, "id">) => `/dashboard/prompts/${encodeURIComponent(row.id)}`;

export function promptTable(rows: PromptRow[]) {
  return savedItemTable(rows, {
    kind: "prompt",
    href: promptHref,
    empty: html`<div class="empty">
      No prompts yet. Create one with <code>POST /admin/prompts</code> ({"slug","messages","model"}) and call it with
      <code>POST /v1/prompts/&lt;slug&gt;/completions</code>.
    </div>`,
    versionHeading: "latest",
  });
}

type Label = ReturnType<typeof presentLabels>[number];

const shareText = (label: Label) =>
  label.versions
    ? label.versions.map((s) => `v${s.version} × ${s.weight}`).join(", ")
    : label.version === null
      ? "unset"
      : `v${label.version}`;

export function labelTable(labels: Label[]) {
  const rows = labels.map(
    (l) =>
      html`<tr data-label="${l.label}">
        <td><code>${l.label}</code></td>
        <td data-points>${shareText(l)}</td>
        <td>${l.updated_at ? when(l.updated_at) : ""}</td>
      </tr>`,
  );
  return html`<h2>Labels</h2>
    <div class="table-wrap">
      <table id="prompt-labels">
        <thead>
          <tr>
            <th>label</th>
            <th>points at</th>
            <th>updated</th>
          </tr>
        </thead>
        <tbody>
          ${rows}
        </tbody>
      </table>
    </div>`;
}

export function labelForm(row: PromptRow, csrf: string, state: FormState) {
  return html`<h2>Move a label</h2>
    ${formProblem(state, ["label", "split"])}
    <form method="post" action="${promptHref(row)}/labels" class="stack" id="label-form">
      ${hiddenCsrf(csrf)} ${textField("l", state, "label", "Label", "production")}
      ${textField("l", state, "split", "Version, or a weighted split (version:weight, ...)", "2  or  1:90, 2:10")}
      <button type="submit">Set label</button>
    </form>`;
}

export function promptVersions(versions: PromptVersionRow[]) {
  const items = versions.map(
    (v) =>
      html`<details ${versions[0] === v ? "open" : ""}>
        <summary>v${v.version} · ${when(v.createdAt.toISOString())} by ${v.createdBy}</summary>
        <pre>${JSON.stringify(JSON.parse(v.template), null, 2)}</pre>
      </details>`,
  );
  return html`<h2>Versions</h2>
    <div id="prompt-versions">${items}</div>`;
}
