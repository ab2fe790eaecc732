import { html } from "hono/html";
import type { DashboardContext } from "./context";
import { when } from "./format";
import { formProblem, hiddenCsrf, jsonField, textField, type FormState } from "./pages/form-fields";
import { actionButton } from "./pages/key-forms";
import type { Html } from "./pages/shell";
import type { DashboardSession } from "./session";

/**
 * The pages of saved, versioned items (configs, guardrails) share one shape: a list with an archived toggle and an
 * admin-only create form; an item's page with a version, the list of versions, a new-version form and Archive.
 * Each kind keeps its own wording and validation; these are the parts that must look and behave alike.
 */

/** `?archived=1` adds archived items to a list. */
export const showsArchived = (c: DashboardContext) => c.req.query("archived") === "1";

/** The list page's body: the archived toggle, the table, and the create form for admins only. */
export function savedListBody(
  list: { base: string; archived: boolean; session: DashboardSession },
  table: Html,
  createForm: () => Html,
) {
  const toggle = list.archived
    ? html`<a href="${list.base}">Hide archived</a>`
    : html`<a href="${list.base}?archived=1">Show archived</a>`;
  return html`<p>${toggle}</p>
    ${table}${list.session.role === "admin" ? createForm() : ""}`;
}

interface VersionSummary {
  version: number;
  createdAt: Date;
  createdBy: string;
}

/** All versions, newest first, each linked; the one shown is marked as the current page. */
export function versionLinks(itemHref: string, id: string, versions: VersionSummary[], shown: number) {
  const items = versions.map(
    (v) =>
      html`<li>
        <a href="${itemHref}/versions/${v.version}" ${v.version === shown ? html`aria-current="page"` : ""}
          >v${v.version}</a
        >
        <span class="muted">${when(v.createdAt.toISOString())} by ${v.createdBy}</span>
      </li>`,
  );
  return html`<h2>Versions</h2>
    <ol class="versions" id="${id}" reversed>
      ${items}
    </ol>`;
}

export interface VersionFormSpec {
  /** `config` or `guardrail`: the form is `edit-<kind>`, its JSON field is named `<kind>`. */
  kind: string;
  itemHref: string;
  row: { slug: string; archived: boolean; latestVersion: number };
  jsonLabel: string;
  jsonRows: number;
  archiveConfirm: string;
}

/** Save a new version (name + the JSON), then Archive; an archived item says it can no longer change. */
export function newVersionAndArchive(spec: VersionFormSpec, csrf: string, state: FormState) {
  const { kind, itemHref, row } = spec;
  if (row.archived) return html`<p class="muted">Archived: its versions stay readable, it can no longer change.</p>`;
  return html`<h2>Save a new version</h2>
    ${formProblem(state, ["name", kind])}
    <form method="post" action="${itemHref}" class="stack" id="edit-${kind}">
      ${hiddenCsrf(csrf)} ${textField("e", state, "name", "Name")}
      ${jsonField("e", state, kind, spec.jsonLabel, spec.jsonRows)}
      <button type="submit">Save version ${row.latestVersion + 1}</button>
    </form>
    <h2>Archive</h2>
    ${actionButton(csrf, `${itemHref}/archive`, `Archive ${kind}`, { danger: true, confirm: spec.archiveConfirm })}`;
}
