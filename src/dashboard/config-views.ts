import { html } from "hono/html";
import type { ConfigRow } from "../../schema/db";
import type { VersionSummary } from "../configs/repository";
import { when } from "./format";
import { formProblem, hiddenCsrf, jsonField, textField, type FormState } from "./pages/form-fields";
import { actionButton } from "./pages/key-forms";
import { savedItemTable } from "./saved-table";

/** The configs page's pieces: list, create form, a config's versions, its new-version form. */

export const configHref = (row: Pick<ConfigRow, "id">) => `/dashboard/configs/${encodeURIComponent(row.id)}`;

export function configTable(rows: ConfigRow[]) {
  return savedItemTable(rows, {
    kind: "config",
    href: configHref,
    empty: html`<div class="empty">
      No saved configs yet. Create one below; requests use it with <code>x-portkey-config: &lt;slug&gt;</code>.
    </div>`,
    versionHeading: "version",
  });
}

export const CREATE_FIELDS = ["slug", "name", "config"] as const;

export function createConfigForm(csrf: string, state: FormState) {
  return html`<h2>Create a config</h2>
    ${formProblem(state, CREATE_FIELDS)}
    <form method="post" action="/dashboard/configs" class="stack" id="create-config">
      ${hiddenCsrf(csrf)} ${textField("c", state, "slug", "Slug", "e.g. prod-fallback")}
      ${textField("c", state, "name", "Name (optional)")}
      ${jsonField("c", state, "config", "Config JSON (validated as POST /admin/configs does)")}
      <button type="submit">Create config</button>
    </form>`;
}

export function versionList(row: ConfigRow, versions: VersionSummary[], shown: number) {
  const items = versions.map(
    (v) =>
      html`<li>
        <a href="${configHref(row)}/versions/${v.version}" ${v.version === shown ? html`aria-current="page"` : ""}
          >v${v.version}</a
        >
        <span class="muted">${when(v.createdAt.toISOString())} by ${v.createdBy}</span>
      </li>`,
  );
  return html`<h2>Versions</h2>
    <ol class="versions" id="config-versions" reversed>
      ${items}
    </ol>`;
}

export function editConfigForm(row: ConfigRow, csrf: string, state: FormState) {
  if (row.archived) return html`<p class="muted">Archived: its versions stay readable, it can no longer change.</p>`;
  return html`<h2>Save a new version</h2>
    ${formProblem(state, ["name", "config"])}
    <form method="post" action="${configHref(row)}" class="stack" id="edit-config">
      ${hiddenCsrf(csrf)} ${textField("e", state, "name", "Name")}
      ${jsonField("e", state, "config", "Config JSON (inline keys show masked: replace them or use a virtual_key)")}
      <button type="submit">Save version ${row.latestVersion + 1}</button>
    </form>
    <h2>Archive</h2>
    ${actionButton(csrf, `${configHref(row)}/archive`, "Archive config", {
      danger: true,
      confirm: `Archive ${row.slug}? Requests naming it will fail.`,
    })}`;
}
