import { html } from "hono/html";
import type { ConfigRow } from "../../schema/db";
import type { VersionSummary } from "../configs/repository";
import { formProblem, hiddenCsrf, jsonField, textField, type FormState } from "./pages/form-fields";
import { newVersionAndArchive, versionLinks } from "./saved-item-views";
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
  return versionLinks(configHref(row), "config-versions", versions, shown);
}

export function editConfigForm(row: ConfigRow, csrf: string, state: FormState) {
  const spec = {
    kind: "config",
    itemHref: configHref(row),
    row,
    jsonLabel: "Config JSON (inline keys show masked: replace them or use a virtual_key)",
    jsonRows: 14,
    archiveConfirm: `Archive ${row.slug}? Requests naming it will fail.`,
  };
  return newVersionAndArchive(spec, csrf, state);
}
