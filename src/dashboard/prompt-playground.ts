import { html } from "hono/html";
import type { PromptRow } from "../../schema/db";
import { promptRunBodySchema } from "../../schema/prompts";
import { parseOrBadRequest } from "../admin/validate";
import { GatewayError, badRequest } from "../errors";
import { chatRequestOf } from "../pipeline/prompt-request";
import { preparePrompt } from "../prompts/run";
import { parseJsonField } from "./form-input";
import { formProblem, hiddenCsrf, jsonField, textField, type FormState } from "./pages/form-fields";
import { promptHref } from "./prompt-views";

/**
 * The prompt playground's Render: the variables and a version (number or label) go through the same code as
 * POST /v1/prompts/{id}/render (preparePrompt, then chatRequestOf), so the page shows exactly what would be sent.
 */

export interface RenderedPrompt {
  version: number;
  label: string | null;
  chat: Record<string, unknown>;
}

/** "", "2", "staging" or "latest" after the prompt's slug, as a /v1 prompt id would carry it. */
function promptRefOf(row: PromptRow, version: string): string {
  const selector = version.trim();
  return selector === "" ? row.slug : `${row.slug}@${selector}`;
}

/** A 404 (no such version or an empty label) belongs to the form's version field, not to an error page. */
function atVersionField(error: unknown): unknown {
  if (error instanceof GatewayError && error.status === 404) return badRequest(error.message, "version");
  return error;
}

export async function renderPlayground(env: Env, row: PromptRow, form: Record<string, string>) {
  const variablesText = form.variables?.trim() ? form.variables : "{}";
  const body = parseOrBadRequest(promptRunBodySchema, { variables: parseJsonField(variablesText, "variables") });
  try {
    const prepared = await preparePrompt(env, promptRefOf(row, form.version ?? ""), body.variables ?? {}, {
      user: null,
      random: Math.random,
    });
    const rendered: RenderedPrompt = {
      version: prepared.chosen.version,
      label: prepared.chosen.label,
      chat: chatRequestOf(prepared, {}),
    };
    return rendered;
  } catch (error) {
    throw atVersionField(error);
  }
}

export function playgroundForm(row: PromptRow, csrf: string, state: FormState, rendered: RenderedPrompt | null) {
  const output = rendered
    ? html`<h3>Rendered v${rendered.version}${rendered.label ? html` (${rendered.label})` : ""}</h3>
        <pre id="rendered-prompt">${JSON.stringify(rendered.chat, null, 2)}</pre>`
    : "";
  return html`<h2>Playground</h2>
    ${formProblem(state, ["version", "variables"])}
    <form method="post" action="${promptHref(row)}/render" class="stack" id="render-form">
      ${hiddenCsrf(csrf)}
      ${textField("p", state, "version", "Version to render: a number, production, staging or latest (empty: as /v1 picks)", "2  or  staging")}
      ${jsonField("p", state, "variables", "Variables (JSON object)", 6)}
      <button type="submit">Render</button>
    </form>
    ${output}
    <p><a href="${promptHref(row)}/compare" id="compare-link">Run two versions side by side →</a></p>`;
}
