import { html } from "hono/html";
import type { FieldError } from "../form-input";

/** Labelled inputs whose error (the admin API's 400 for that field) is shown beside them and tied by aria-describedby. */

export interface FormState {
  values: Record<string, string>;
  error: FieldError | null;
}

export const emptyForm = (values: Record<string, string> = {}): FormState => ({ values, error: null });

function errorFor(state: FormState, name: string) {
  return state.error?.field === name ? state.error : null;
}

function errorNote(id: string, error: FieldError) {
  const at = error.path && error.path !== error.field ? html` at <code data-error-path>${error.path}</code>` : "";
  return html`<span class="field-error" id="${id}-error" role="alert">${error.message}${at}</span>`;
}

export function textField(prefix: string, state: FormState, name: string, label: string, hint = "") {
  const id = `${prefix}-${name}`;
  const error = errorFor(state, name);
  return html`<label for="${id}"
    >${label}
    <input
      id="${id}"
      name="${name}"
      type="text"
      value="${state.values[name] ?? ""}"
      ${error ? html`aria-invalid="true" aria-describedby="${id}-error"` : hint ? html`placeholder="${hint}"` : ""}
    />
    ${error ? errorNote(id, error) : ""}
  </label>`;
}

export function jsonField(prefix: string, state: FormState, name: string, label: string, rows = 14) {
  const id = `${prefix}-${name}`;
  const error = errorFor(state, name);
  return html`<label for="${id}"
    >${label}
    <textarea
      id="${id}"
      name="${name}"
      rows="${rows}"
      spellcheck="false"
      class="code"
      ${error ? html`aria-invalid="true" aria-describedby="${id}-error"` : ""}
    >
${state.values[name] ?? ""}</textarea>
    ${error ? errorNote(id, error) : ""}
  </label>`;
}

/** An error that belongs to no field of the form (a missing vault key, a conflict on the whole thing). */
export function formProblem(state: FormState, fields: readonly string[]) {
  const error = state.error;
  if (!error || fields.includes(error.field)) return "";
  return html`<p class="error-box" role="alert">${error.message}</p>`;
}

export const hiddenCsrf = (csrf: string) => html`<input type="hidden" name="_csrf" value="${csrf}" />`;
