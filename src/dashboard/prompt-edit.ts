import { Hono } from "hono";
import type { PromptRow } from "../../schema/db";
import { createPromptBodySchema, updatePromptBodySchema } from "../../schema/prompts";
import { parseOrBadRequest } from "../admin/validate";
import { findPromptVersion } from "../prompts/repository";
import { addPromptVersion, archivePrompt, createPrompt, requirePrompt } from "../prompts/service";
import type { StoredTemplate } from "../prompts/stored";
import { storedTemplateOf } from "../prompts/validate";
import { openDb } from "../storage/db";
import { sessionOf, type DashboardContext, type DashboardEnv } from "./context";
import { fieldErrorOf, formStatus, formStrings, type FormStatus } from "./form-input";
import { requireAdminRole } from "./guard";
import { adminOnly } from "./pages/admin-only";
import { emptyForm, type FormState } from "./pages/form-fields";
import { page } from "./pages/layout";
import { promptBodyOf, valuesOfTemplate } from "./prompt-fields";
import { createPromptForm, newVersionForm } from "./prompt-forms";
import { promptHref } from "./prompt-views";

/**
 * Create a prompt, save a new version, archive: the admin API's body schemas, storedTemplateOf (templates parse,
 * inline configs sound and credential-free) and the prompt service (audit row), so the form is refused exactly
 * where POST /admin/prompts would be. Mounted before promptPages: `/new` must not be taken for a prompt id.
 */
export const promptEditPages = new Hono<DashboardEnv>();

const admin = requireAdminRole();

async function createPage(c: DashboardContext, state: FormState = emptyForm(), status: 200 | FormStatus = 200) {
  const frame = { title: "New prompt", section: "prompts" as const, ...sessionOf(c) };
  return c.html(page(frame, adminOnly(frame.session, createPromptForm(frame.csrf, state))), status);
}

// Readable by a read-only session (the page without its form); the posts below need the admin role.
promptEditPages.get("/new", (c) => createPage(c));

promptEditPages.post("/", admin, async (c) => {
  const form = await formStrings(c);
  try {
    const { slug, name, description, ...fields } = parseOrBadRequest(createPromptBodySchema, promptBodyOf(form, true));
    const template = storedTemplateOf(fields);
    const row = await createPrompt(openDb(c.env), sessionOf(c).session.actor, { slug, name, description }, template);
    return c.redirect(promptHref(row), 303);
  } catch (error) {
    const fieldError = fieldErrorOf(error);
    if (!fieldError) throw error;
    return createPage(c, { values: form, error: fieldError }, formStatus(error));
  }
});

async function latestTemplate(c: DashboardContext, row: PromptRow): Promise<StoredTemplate> {
  const latest = await findPromptVersion(openDb(c.env), row.id, row.latestVersion);
  // A prompt row and its first version are written in one batch: a missing one is a broken invariant (500).
  if (!latest) throw new Error(`prompt ${row.id} has no version ${row.latestVersion}`);
  return JSON.parse(latest.template) as StoredTemplate;
}

async function versionPage(c: DashboardContext, state?: FormState, status: 200 | FormStatus = 200) {
  const row = await requirePrompt(openDb(c.env), c.req.param("id") ?? "", true);
  const meta = { name: row.name, description: row.description ?? "" };
  const shown = state ?? emptyForm({ ...meta, ...valuesOfTemplate(await latestTemplate(c, row)) });
  const frame = { title: `New version of ${row.slug}`, section: "prompts" as const, ...sessionOf(c) };
  return c.html(page(frame, adminOnly(frame.session, newVersionForm(row, frame.csrf, shown))), status);
}

promptEditPages.get("/:id/versions/new", (c) => versionPage(c));

promptEditPages.post("/:id/versions", admin, async (c) => {
  const form = await formStrings(c);
  const db = openDb(c.env);
  try {
    const { name, description, ...fields } = parseOrBadRequest(updatePromptBodySchema, promptBodyOf(form, false));
    const template = storedTemplateOf(fields);
    const current = await requirePrompt(db, c.req.param("id"), true);
    const row = await addPromptVersion(db, sessionOf(c).session.actor, current, { name, description }, template);
    return c.redirect(promptHref(row), 303);
  } catch (error) {
    const fieldError = fieldErrorOf(error);
    if (!fieldError) throw error;
    return versionPage(c, { values: form, error: fieldError }, formStatus(error));
  }
});

promptEditPages.post("/:id/archive", admin, async (c) => {
  const db = openDb(c.env);
  const current = await requirePrompt(db, c.req.param("id"), true);
  const row = await archivePrompt(db, sessionOf(c).session.actor, current);
  return c.redirect(promptHref(row), 303);
});
