import { Hono } from "hono";
import { html } from "hono/html";
import { patchGatewayKeyBodySchema } from "../../schema/admin-keys";
import type { GatewayKeyRow } from "../../schema/db/keys";
import { parseOrBadRequest } from "../admin/validate";
import { requireGatewayKey, updateGatewayKey } from "../governance/keys/service";
import { openDb } from "../storage/db";
import { sessionOf, type DashboardContext, type DashboardEnv } from "./context";
import { fieldErrorOf, formStatus, formStrings, type FormStatus } from "./form-input";
import { requireAdminForWrites } from "./guard";
import { adminOnly } from "./pages/admin-only";
import { emptyForm, formProblem, hiddenCsrf, textField, type FormState } from "./pages/form-fields";
import { page } from "./pages/layout";
import {
  LIMIT_FIELDS,
  limitBodyOf,
  limitInputs,
  limitValuesOf,
  listBodyOf,
  listText,
  withInlineErrors,
} from "./limit-fields";
import { PROFILE_FIELDS, profileBodyOf, profileFields, profileValuesOf } from "./key-edit-fields";

/** Edit a gateway key (every field PATCH /admin/keys/{id} takes) through the admin API's PATCH schema and service. */
export const keyEditPages = new Hono<DashboardEnv>();

// A read-only session sees the page without its form; the post needs the admin role.
keyEditPages.use("/:id/edit", requireAdminForWrites());

const LIST_FIELDS = ["allowed_models", "allowed_providers", "allowed_virtual_keys"] as const;
const FIELDS = [...PROFILE_FIELDS, ...LIMIT_FIELDS, ...LIST_FIELDS];

/** The key's current values as the form shows them (an empty field means "no limit" / "no restriction"). */
function valuesOf(row: GatewayKeyRow): Record<string, string> {
  return {
    ...profileValuesOf(row),
    ...limitValuesOf(row),
    allowed_models: listText(row.allowedModels),
    allowed_providers: listText(row.allowedProviders),
    allowed_virtual_keys: listText(row.allowedVirtualKeys),
  };
}

/** The form's strings -> a PATCH body: an empty field is null (clears the limit or the allowlist). */
function patchBodyOf(form: Record<string, string>, row: GatewayKeyRow): Record<string, unknown> {
  return { ...profileBodyOf(form, profileValuesOf(row)), ...limitBodyOf(form), ...listBodyOf(form, LIST_FIELDS) };
}

function editForm(row: GatewayKeyRow, csrf: string, state: FormState) {
  return html`${formProblem(state, withInlineErrors(FIELDS))}
    <form method="post" action="/dashboard/keys/${encodeURIComponent(row.id)}/edit" class="stack" id="edit-key">
      ${hiddenCsrf(csrf)} ${profileFields(state)} ${limitInputs("e", state)}
      ${textField("e", state, "allowed_models", "Allowed models (comma-separated, * suffix allowed)", "all")}
      ${textField("e", state, "allowed_providers", "Allowed providers (comma-separated)", "all")}
      ${textField("e", state, "allowed_virtual_keys", "Allowed virtual keys (slugs, comma-separated)", "all")}
      <button type="submit">Save</button>
    </form>`;
}

async function editPage(c: DashboardContext, state?: FormState, status: 200 | FormStatus = 200) {
  const { session, csrf } = sessionOf(c);
  const row = await requireGatewayKey(openDb(c.env), c.req.param("id") ?? "", true);
  const body = html`<p><a href="/dashboard/keys">← Keys</a></p>
    <p><code>${row.keyPrefix}…</code> · ${row.name}</p>
    ${adminOnly(session, editForm(row, csrf, state ?? emptyForm(valuesOf(row))))}`;
  return c.html(page({ title: `Edit key ${row.name}`, section: "keys", session, csrf }, body), status);
}

keyEditPages.get("/:id/edit", (c) => editPage(c));

keyEditPages.post("/:id/edit", async (c) => {
  const form = await formStrings(c);
  const db = openDb(c.env);
  try {
    const current = await requireGatewayKey(db, c.req.param("id"), true);
    const body = parseOrBadRequest(patchGatewayKeyBodySchema, patchBodyOf(form, current));
    await updateGatewayKey(db, sessionOf(c).session.actor, current, body);
    return c.redirect("/dashboard/keys", 303);
  } catch (error) {
    const fieldError = fieldErrorOf(error);
    if (!fieldError) throw error;
    return editPage(c, { values: form, error: fieldError }, formStatus(error));
  }
});
