import { html } from "hono/html";
import { BUDGET_PERIODS, type BudgetPeriod } from "../../schema/db/keys";
import { textField, type FormState } from "./pages/form-fields";

/**
 * The limit and allowlist fields gateway keys and virtual keys share (the admin API's flat `limitFields`): shown as
 * text, posted back as a PATCH body where an empty field is null (no limit, no restriction).
 */

export const NUMBER_FIELDS = ["rpm", "tpm", "budget_usd"] as const;
export const LIMIT_FIELDS = [...NUMBER_FIELDS, "budget_period"] as const;

/** Fields drawn as a <select>: they show no error of their own, so formProblem must show theirs above the form. */
export const SELECT_FIELDS = ["budget_period", "log_bodies"];
export const withInlineErrors = (fields: readonly string[]) => fields.filter((name) => !SELECT_FIELDS.includes(name));

interface Limited {
  rpm: number | null;
  tpm: number | null;
  budgetUsd: number | null;
  budgetPeriod: BudgetPeriod;
}

const numberText = (value: number | null) => (value === null ? "" : String(value));
export const listText = (value: string[] | null) => value?.join(", ") ?? "";

export function limitValuesOf(row: Limited): Record<string, string> {
  return {
    rpm: numberText(row.rpm),
    tpm: numberText(row.tpm),
    budget_usd: numberText(row.budgetUsd),
    budget_period: row.budgetPeriod,
  };
}

/** Numbers stay numbers only when they parse: "abc" becomes NaN, which the schema refuses at the field. */
export function limitBodyOf(form: Record<string, string>): Record<string, unknown> {
  const body: Record<string, unknown> = { budget_period: form.budget_period ?? "" };
  for (const name of NUMBER_FIELDS) body[name] = form[name]?.trim() ? Number(form[name]) : null;
  return body;
}

/** Comma-separated lists -> arrays; an empty field is null (an empty list would lock everything out). */
export function listBodyOf(form: Record<string, string>, names: readonly string[]): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const name of names) {
    const items = (form[name] ?? "")
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean);
    body[name] = items.length ? items : null;
  }
  return body;
}

export function limitInputs(prefix: string, state: FormState) {
  const period = state.values.budget_period ?? "none";
  const periods = BUDGET_PERIODS.map((p) => html`<option value="${p}" ${period === p ? "selected" : ""}>${p}</option>`);
  return html`${textField(prefix, state, "rpm", "Requests per minute", "no limit")}
    ${textField(prefix, state, "tpm", "Tokens per minute", "no limit")}
    ${textField(prefix, state, "budget_usd", "Budget (USD)", "no budget")}
    <label for="${prefix}-budget_period"
      >Budget period<select id="${prefix}-budget_period" name="budget_period">
        ${periods}
      </select></label
    >`;
}
