import { Hono } from "hono";
import { html } from "hono/html";
import { labelBodySchema, labelNameSchema } from "../../schema/prompts";
import { parseOrBadRequest } from "../admin/validate";
import { badRequest } from "../errors";
import { presentLabels } from "../prompts/present";
import { listLabelRows, listPromptRows, listPromptVersionRows } from "../prompts/repository";
import { requirePrompt, setLabel } from "../prompts/service";
import type { LabelShare } from "../prompts/types";
import { openDb } from "../storage/db";
import { sessionOf, type DashboardContext, type DashboardEnv } from "./context";
import { fieldErrorOf, formStatus, formStrings, type FormStatus } from "./form-input";
import { requireAdminRole } from "./guard";
import { emptyForm, type FormState } from "./pages/form-fields";
import { page } from "./pages/layout";
import { promptActions } from "./prompt-forms";
import { playgroundForm, renderPlayground, type RenderedPrompt } from "./prompt-playground";
import { labelForm, labelTable, promptHref, promptTable, promptVersions } from "./prompt-views";

/** The prompt registry: list, versions, labels (moved or split through the admin API's schema and service). */
export const promptPages = new Hono<DashboardEnv>();

promptPages.use("/*", async (c, next) => (c.req.method === "GET" ? next() : requireAdminRole()(c, next)));

promptPages.get("/", async (c) => {
  const rows = await listPromptRows(openDb(c.env), { limit: 100, includeArchived: false });
  const create = html`<p><a href="/dashboard/prompts/new" class="button" id="new-prompt">New prompt</a></p>`;
  const body = html`${sessionOf(c).session.role === "admin" ? create : ""}${promptTable(rows)}`;
  return c.html(page({ title: "Prompts", section: "prompts", ...sessionOf(c) }, body));
});

interface Playground {
  form: FormState;
  rendered: RenderedPrompt | null;
}

async function detailPage(
  c: DashboardContext,
  form: FormState = emptyForm(),
  status: 200 | FormStatus = 200,
  playground: Playground = { form: emptyForm({ variables: "{}" }), rendered: null },
) {
  const { session, csrf } = sessionOf(c);
  const db = openDb(c.env);
  const row = await requirePrompt(db, c.req.param("id") ?? "");
  const [labels, versions] = await Promise.all([
    listLabelRows(db, row.id),
    listPromptVersionRows(db, row.id, { limit: 50 }),
  ]);
  const body = html`<p><a href="/dashboard/prompts">← Prompts</a></p>
    <p><code>${row.id}</code> · ${row.name} · call it with <code>POST /v1/prompts/${row.slug}/completions</code></p>
    ${session.role === "admin" ? promptActions(row, csrf) : ""}
    ${labelTable(presentLabels(labels))}${session.role === "admin" && !row.archived ? labelForm(row, csrf, form) : ""}
    ${session.role === "admin" ? playgroundForm(row, csrf, playground.form, playground.rendered) : ""}
    ${promptVersions(versions)}`;
  return c.html(page({ title: `Prompt ${row.slug}`, section: "prompts", session, csrf }, body), status);
}

promptPages.get("/:id", (c) => detailPage(c));

/** "2" points the label at one version; "1:90, 2:10" splits it (the admin API's `version` / `versions`). */
function labelBodyOf(split: string): Record<string, unknown> {
  const parts = split
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) throw badRequest("split: expected a version or version:weight pairs", "split");
  if (parts.length === 1 && !parts[0]?.includes(":")) return { version: Number(parts[0]) };
  return {
    versions: parts.map((p) => {
      const [version, weight] = p.split(":");
      return { version: Number(version), weight: Number(weight ?? "1") };
    }),
  };
}

const sharesOf = (body: { version?: number; versions?: LabelShare[] }): LabelShare[] =>
  body.versions ?? (body.version === undefined ? [] : [{ version: body.version, weight: 1 }]);

promptPages.post("/:id/labels", async (c) => {
  const form = await formStrings(c);
  const db = openDb(c.env);
  try {
    const label = parseOrBadRequest(labelNameSchema, form.label ?? "", "label");
    const body = parseOrBadRequest(labelBodySchema, labelBodyOf(form.split ?? ""));
    const current = await requirePrompt(db, c.req.param("id"), true);
    await setLabel(db, sessionOf(c).session.actor, current, label, sharesOf(body));
    return c.redirect(promptHref(current), 303);
  } catch (error) {
    const fieldError = fieldErrorOf(error);
    if (!fieldError) throw error;
    // The API names `version` / `versions[i]...`: both are the form's one split field.
    const field = fieldError.field === "label" ? "label" : fieldError.field === "_" ? "_" : "split";
    return detailPage(c, { values: form, error: { ...fieldError, field } }, formStatus(error));
  }
});

/** The playground's Render: what POST /v1/prompts/{id}/render would answer, shown under the form. */
promptPages.post("/:id/render", async (c) => {
  const form = await formStrings(c);
  const row = await requirePrompt(openDb(c.env), c.req.param("id"));
  try {
    const rendered = await renderPlayground(c.env, row, form);
    return detailPage(c, emptyForm(), 200, { form: emptyForm(form), rendered });
  } catch (error) {
    const fieldError = fieldErrorOf(error);
    if (!fieldError) throw error;
    return detailPage(c, emptyForm(), formStatus(error), { form: { values: form, error: fieldError }, rendered: null });
  }
});
