import { Hono } from "hono";
import { html } from "hono/html";
import { patchVirtualKeyBodySchema } from "../../schema/admin-keys";
import type { VirtualKeyRow } from "../../schema/db/keys";
import { parseOrBadRequest } from "../admin/validate";
import { presentVirtualKey } from "../governance/virtual-keys/present";
import { requireVirtualKey, updateVirtualKey } from "../governance/virtual-keys/service";
import { openDb } from "../storage/db";
import { sessionOf, type DashboardContext, type DashboardEnv } from "./context";
import { fieldErrorOf, formStatus, formStrings, type FormStatus } from "./form-input";
import {
  LIMIT_FIELDS,
  limitBodyOf,
  limitInputs,
  limitValuesOf,
  listBodyOf,
  listText,
  withInlineErrors,
} from "./limit-fields";
import { emptyForm, formProblem, hiddenCsrf, textField, type FormState } from "./pages/form-fields";
import { adminOnly } from "./pages/admin-only";
import { page } from "./pages/layout";

/**
 * Edit a virtual key: what PATCH /admin/virtual-keys/{id} takes (name, allowed models, limits and budget), through
 * its schema and the virtual key service (audited). The provider key and its destination (custom host, Azure or AWS
 * fields) change only together, by rotating: this page shows the key's hint, never the key.
 * Mounted inside virtualKeyPages, whose posts need the admin role (a read-only session sees the page, no form).
 */
export const virtualKeyEditPages = new Hono<DashboardEnv>();

const FIELDS = ["name", "allowed_models", ...LIMIT_FIELDS];

const editHref = (row: Pick<VirtualKeyRow, "id">) => `/dashboard/keys/virtual/${encodeURIComponent(row.id)}/edit`;

function valuesOf(row: VirtualKeyRow): Record<string, string> {
  return { name: row.name, allowed_models: listText(row.allowedModels), ...limitValuesOf(row) };
}

function editForm(row: VirtualKeyRow, csrf: string, shown: FormState) {
  return html`${formProblem(shown, withInlineErrors(FIELDS))}
    <form method="post" action="${editHref(row)}" class="stack" id="edit-virtual-key">
      ${hiddenCsrf(csrf)} ${textField("e", shown, "name", "Name")}
      ${textField("e", shown, "allowed_models", "Allowed models (comma-separated, * suffix allowed)", "all")}
      ${limitInputs("e", shown)}
      <button type="submit">Save</button>
    </form>`;
}

async function editPage(c: DashboardContext, state?: FormState, status: 200 | FormStatus = 200) {
  const { session, csrf } = sessionOf(c);
  const row = await requireVirtualKey(openDb(c.env), c.req.param("id") ?? "", true);
  const vk = presentVirtualKey(row);
  const shown = state ?? emptyForm(valuesOf(row));
  const body = html`<p><a href="/dashboard/keys">← Keys</a></p>
    <p>
      <code>@${vk.slug}</code> · ${vk.provider} · key ${vk.api_key_hint} · to change the provider key or its host,
      <a href="/dashboard/keys/virtual/${encodeURIComponent(row.id)}/rotate">rotate</a>.
    </p>
    ${adminOnly(session, editForm(row, csrf, shown))}`;
  return c.html(page({ title: `Edit @${row.slug}`, section: "keys", session, csrf }, body), status);
}

virtualKeyEditPages.get("/:id/edit", (c) => editPage(c));

virtualKeyEditPages.post("/:id/edit", async (c) => {
  const form = await formStrings(c);
  const db = openDb(c.env);
  try {
    const body = parseOrBadRequest(patchVirtualKeyBodySchema, {
      name: form.name ?? "",
      ...listBodyOf(form, ["allowed_models"]),
      ...limitBodyOf(form),
    });
    const current = await requireVirtualKey(db, c.req.param("id"), true);
    await updateVirtualKey(db, sessionOf(c).session.actor, current, body);
    return c.redirect("/dashboard/keys", 303);
  } catch (error) {
    const fieldError = fieldErrorOf(error);
    if (!fieldError) throw error;
    return editPage(c, { values: form, error: fieldError }, formStatus(error));
  }
});
