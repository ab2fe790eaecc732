import { Hono } from "hono";
import { html } from "hono/html";
import { patchGatewayKeyBodySchema } from "../../schema/admin-keys";
import { BUDGET_PERIODS, type GatewayKeyRow } from "../../schema/db/keys";
import { parseOrBadRequest } from "../admin/validate";
import { requireGatewayKey, updateGatewayKey } from "../governance/keys/service";
import { openDb } from "../storage/db";
import { sessionOf, type DashboardContext, type DashboardEnv } from "./context";
import { fieldErrorOf, formStatus, formStrings, type FormStatus } from "./form-input";
import { requireAdminRole } from "./guard";
import { emptyForm, formProblem, hiddenCsrf, textField, type FormState } from "./pages/form-fields";
import { page } from "./pages/layout";

/** Edit a gateway key's limits, budget and allowlists through the admin API's PATCH schema and service. */
export const keyEditPages = new Hono<DashboardEnv>();

keyEditPages.use("/:id/edit", requireAdminRole());

const NUMBER_FIELDS = ["rpm", "tpm", "budget_usd"] as const;
const LIST_FIELDS = ["allowed_models", "allowed_providers", "allowed_virtual_keys"] as const;
const FIELDS = [...NUMBER_FIELDS, ...LIST_FIELDS, "budget_period"];

/** The key's current values as the form shows them (an empty field means "no limit" / "no restriction"). */
function valuesOf(row: GatewayKeyRow): Record<string, string> {
  const text = (value: number | null) => (value === null ? "" : String(value));
  const list = (value: string[] | null) => value?.join(", ") ?? "";
  return {
    rpm: text(row.rpm),
    tpm: text(row.tpm),
    budget_usd: text(row.budgetUsd),
    budget_period: row.budgetPeriod,
    allowed_models: list(row.allowedModels),
    allowed_providers: list(row.allowedProviders),
    allowed_virtual_keys: list(row.allowedVirtualKeys),
  };
}

/** The form's strings -> a PATCH body: an empty field is null (clears the limit or the allowlist). */
function patchBodyOf(form: Record<string, string>): Record<string, unknown> {
  const body: Record<string, unknown> = { budget_period: form.budget_period ?? "" };
  for (const name of NUMBER_FIELDS) body[name] = form[name]?.trim() ? Number(form[name]) : null;
  for (const name of LIST_FIELDS) {
    const items = (form[name] ?? "")
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean);
    body[name] = items.length ? items : null;
  }
  return body;
}

function editForm(row: GatewayKeyRow, csrf: string, state: FormState) {
  const period = state.values.budget_period ?? row.budgetPeriod;
  const periods = BUDGET_PERIODS.map((p) => html`<option value="${p}" ${period === p ? "selected" : ""}>${p}</option>`);
  return html`${formProblem(state, FIELDS)}
    <form method="post" action="/dashboard/keys/${encodeURIComponent(row.id)}/edit" class="stack" id="edit-key">
      ${hiddenCsrf(csrf)} ${textField("e", state, "rpm", "Requests per minute", "no limit")}
      ${textField("e", state, "tpm", "Tokens per minute", "no limit")}
      ${textField("e", state, "budget_usd", "Budget (USD)", "no budget")}
      <label for="e-budget_period"
        >Budget period<select id="e-budget_period" name="budget_period">
          ${periods}
        </select></label
      >
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
    ${editForm(row, csrf, state ?? emptyForm(valuesOf(row)))}`;
  return c.html(page({ title: `Edit key ${row.name}`, section: "keys", session, csrf }, body), status);
}

keyEditPages.get("/:id/edit", (c) => editPage(c));

keyEditPages.post("/:id/edit", async (c) => {
  const form = await formStrings(c);
  const db = openDb(c.env);
  try {
    const body = parseOrBadRequest(patchGatewayKeyBodySchema, patchBodyOf(form));
    const current = await requireGatewayKey(db, c.req.param("id"), true);
    await updateGatewayKey(db, sessionOf(c).session.actor, current, body);
    return c.redirect("/dashboard/keys", 303);
  } catch (error) {
    const fieldError = fieldErrorOf(error);
    if (!fieldError) throw error;
    return editPage(c, { values: form, error: fieldError }, formStatus(error));
  }
});
