import { html } from "hono/html";
import { BUDGET_PERIODS } from "../../../schema/db/keys";

/** The create-key form; `errors` maps a field (the admin API's 400 `param`) to its message, shown beside it. */
export function createKeyForm(csrf: string, values: Record<string, string> = {}, errors: Record<string, string> = {}) {
  const field = (name: string, label: string, type = "text", hint = "") => {
    const error = errors[name];
    return html`<label for="k-${name}"
      >${label}
      <input
        id="k-${name}"
        name="${name}"
        type="${type}"
        value="${values[name] ?? ""}"
        ${type === "number" ? html`step="any" min="0"` : ""}
        ${error ? html`aria-invalid="true" aria-describedby="k-${name}-error"` : hint ? html`placeholder="${hint}"` : ""}
      />
      ${error ? html`<span class="field-error" id="k-${name}-error">${error}</span>` : ""}
    </label>`;
  };
  const periods = BUDGET_PERIODS.map(
    (p) => html`<option value="${p}" ${(values.budget_period ?? "monthly") === p ? "selected" : ""}>${p}</option>`,
  );
  const general = errors._ ? html`<p class="error-box" role="alert">${errors._}</p>` : "";
  return html`<h2>Create a gateway key</h2>
    ${general}
    <form method="post" action="/dashboard/keys" class="stack" id="create-key">
      <input type="hidden" name="_csrf" value="${csrf}" />
      ${field("name", "Name")} ${field("user", "User (optional)")}
      ${field("allowed_models", "Allowed models (comma-separated)", "text", "all")}
      ${field("rpm", "Requests per minute", "number", "no limit")}
      ${field("budget_usd", "Budget (USD)", "number", "no budget")}
      <label for="k-budget_period"
        >Budget period<select id="k-budget_period" name="budget_period">
          ${periods}
        </select></label
      >
      <button type="submit">Create key</button>
    </form>`;
}

/** One POST button per action (each its own CSRF-protected form: no JavaScript needed). */
export function actionButton(
  csrf: string,
  action: string,
  label: string,
  options: { danger?: boolean; confirm?: string } = {},
) {
  return html`<form method="post" action="${action}" ${options.confirm ? html`data-confirm="${options.confirm}"` : ""}>
    <input type="hidden" name="_csrf" value="${csrf}" />
    <button type="submit" class="${options.danger ? "danger" : "secondary"}">${label}</button>
  </form>`;
}

/** The secret of a key just created or rotated: shown in this response only, never stored for display again. */
export const secretBox = (name: string, secret: string) =>
  html`<div class="secret" role="status">
    <p><strong>${name}</strong>: copy this key now, it will not be shown again.</p>
    <code id="new-secret">${secret}</code>
  </div>`;
