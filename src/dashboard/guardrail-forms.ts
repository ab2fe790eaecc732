import { html } from "hono/html";
import type { GuardrailRow } from "../../schema/db/guardrails";
import { formProblem, hiddenCsrf, jsonField, textField, type FormState } from "./pages/form-fields";
import { newVersionAndArchive } from "./saved-item-views";

/** The guardrail pages' forms: create, save a new version, archive. */

export const guardrailHref = (row: Pick<GuardrailRow, "id">) => `/dashboard/guardrails/${encodeURIComponent(row.id)}`;

export const GUARDRAIL_CREATE_FIELDS = ["slug", "name", "guardrail"] as const;

const JSON_LABEL = "Guardrail JSON: a shorthand item or a hook with checks (validated as POST /admin/guardrails does)";
const EXAMPLE = JSON.stringify({ "default.wordCount": { maxWords: 500 }, deny: true }, null, 2);

export function createGuardrailForm(csrf: string, state: FormState) {
  const values = { guardrail: EXAMPLE, ...state.values };
  const shown = { ...state, values };
  return html`<h2>Create a guardrail</h2>
    ${formProblem(state, GUARDRAIL_CREATE_FIELDS)}
    <form method="post" action="/dashboard/guardrails" class="stack" id="create-guardrail">
      ${hiddenCsrf(csrf)} ${textField("g", shown, "slug", "Slug", "e.g. no-ssn")}
      ${textField("g", shown, "name", "Name (optional)")} ${jsonField("g", shown, "guardrail", JSON_LABEL, 8)}
      <button type="submit">Create guardrail</button>
    </form>`;
}

export function editGuardrailForm(row: GuardrailRow, csrf: string, state: FormState) {
  const spec = {
    kind: "guardrail",
    itemHref: guardrailHref(row),
    row,
    jsonLabel: "Guardrail JSON (webhook headers show masked: paste the real values to save them again)",
    jsonRows: 10,
    archiveConfirm: `Archive ${row.slug}? Configs and keys naming it will fail.`,
  };
  return newVersionAndArchive(spec, csrf, state);
}
