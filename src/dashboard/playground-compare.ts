import { Hono } from "hono";
import { html } from "hono/html";
import type { PromptRow } from "../../schema/db";
import { badRequest, GatewayError } from "../errors";
import { listVirtualKeyRows } from "../governance/repository";
import { runPlaygroundPrompt } from "../pipeline/playground-run";
import { requirePrompt } from "../prompts/service";
import { openDb } from "../storage/db";
import { sessionOf, type DashboardContext, type DashboardEnv } from "./context";
import { fieldErrorOf, formStatus, formStrings, type FormStatus } from "./form-input";
import { requireAdminRole } from "./guard";
import { emptyForm, type FormState } from "./pages/form-fields";
import { page } from "./pages/layout";
import { compareForm, compareResults } from "./playground-compare-views";
import { renderPlayground } from "./prompt-playground";
import { summarizeRun, type RunSummary } from "./playground-summary";
import { promptHref } from "./prompt-views";

/**
 * /dashboard/prompts/<id>/compare: two versions of a prompt run side by side through a chosen virtual key. Runs
 * spend money, so posting needs the admin role (a read-only session gets 403); each run is a /v1 request of its
 * own (src/pipeline/playground-run.ts) and leaves one log row.
 */
export const playgroundComparePages = new Hono<DashboardEnv>();

async function comparePage(
  c: DashboardContext,
  state: FormState,
  runs: readonly [RunSummary, RunSummary] | null = null,
  status: 200 | FormStatus = 200,
) {
  const { session, csrf } = sessionOf(c);
  const db = openDb(c.env);
  const row = await requirePrompt(db, c.req.param("id") ?? "");
  const keys = await listVirtualKeyRows(db, { limit: 100, includeDeleted: false });
  const body = html`<p><a href="${promptHref(row)}">← Prompt ${row.slug}</a></p>
    ${
      session.role === "admin"
        ? compareForm(row, csrf, state, keys)
        : html`<p class="empty">Runs spend money: a read-only session cannot run prompts.</p>`
    }
    ${compareResults(runs)}`;
  return c.html(page({ title: `Compare versions of ${row.slug}`, section: "prompts", session, csrf }, body), status);
}

playgroundComparePages.get("/:id/compare", (c) =>
  comparePage(c, emptyForm({ version_a: "", version_b: "", variables: "{}" })),
);

/** Both versions render with these variables (an unknown version or a missing variable is refused at its field). */
async function checkVersions(env: Env, row: PromptRow, form: Record<string, string>): Promise<void> {
  for (const field of ["version_a", "version_b"] as const) {
    const version = (form[field] ?? "").trim();
    if (version === "") throw badRequest(`${field}: enter a version number or a label`, field);
    try {
      await renderPlayground(env, row, { version, variables: form.variables ?? "" });
    } catch (error) {
      if (error instanceof GatewayError && error.param === "version") throw badRequest(error.message, field);
      throw error;
    }
  }
  if (!(form.virtual_key ?? "").trim()) throw badRequest("virtual_key: choose a virtual key", "virtual_key");
}

async function runBoth(c: DashboardContext, row: PromptRow, form: Record<string, string>) {
  const { session } = sessionOf(c);
  const variables = JSON.parse(form.variables?.trim() ? form.variables : "{}") as Record<string, unknown>;
  const run = (version: string) =>
    runPlaygroundPrompt(c.env, c.executionCtx, {
      promptRef: `${row.slug}@${version.trim()}`,
      variables,
      virtualKey: (form.virtual_key ?? "").trim(),
      operator: { actor: session.actor, sessionId: session.sid },
    });
  const [a, b] = await Promise.all([run(form.version_a ?? ""), run(form.version_b ?? "")]);
  return [summarizeRun(a), summarizeRun(b)] as const;
}

playgroundComparePages.post("/:id/compare", requireAdminRole(), async (c) => {
  const form = await formStrings(c);
  const row = await requirePrompt(openDb(c.env), c.req.param("id"));
  try {
    await checkVersions(c.env, row, form);
  } catch (error) {
    const fieldError = fieldErrorOf(error);
    if (!fieldError) throw error;
    return comparePage(c, { values: form, error: fieldError }, null, formStatus(error));
  }
  return comparePage(c, emptyForm(form), await runBoth(c, row, form));
});
