import { Hono } from "hono";
import { html } from "hono/html";
import { createVirtualKeyBodySchema, rotateVirtualKeyBodySchema } from "../../schema/admin-keys";
import type { VirtualKeyRow } from "../../schema/db/keys";
import { parseOrBadRequest } from "../admin/validate";
import {
  createVirtualKey,
  deleteVirtualKey,
  requireVirtualKey,
  rotateVirtualKey,
} from "../governance/virtual-keys/service";
import { openDb } from "../storage/db";
import { sessionOf, type DashboardContext, type DashboardEnv } from "./context";
import { fieldErrorOf, formStatus, formStrings, type FormStatus } from "./form-input";
import { requireAdminForWrites } from "./guard";
import { adminOnly } from "./pages/admin-only";
import { emptyForm, formProblem, hiddenCsrf, textField, type FormState } from "./pages/form-fields";
import { page } from "./pages/layout";
import { virtualKeyEditPages } from "./virtual-key-edit";

/**
 * Virtual keys: create, rotate (a new provider key) and delete, through the admin API's schemas and service.
 * The provider key is write-only: its field is a password input that is never filled back, even after an error.
 */
export const virtualKeyPages = new Hono<DashboardEnv>();

// A read-only session sees each page without its form; every post needs the admin role.
virtualKeyPages.use("*", requireAdminForWrites());
virtualKeyPages.route("/", virtualKeyEditPages);

function secretField(prefix: string, state: FormState, label: string) {
  const id = `${prefix}-api_key`;
  const error = state.error?.field === "api_key" ? state.error : null;
  return html`<label for="${id}"
    >${label}
    <input
      id="${id}"
      name="api_key"
      type="password"
      autocomplete="off"
      ${error ? html`aria-invalid="true" aria-describedby="${id}-error"` : ""}
    />
    ${error ? html`<span class="field-error" id="${id}-error" role="alert">${error.message}</span>` : ""}
  </label>`;
}

/** Only the filled fields go in the body, as an API client would send them. */
const filled = (form: Record<string, string>, names: readonly string[]) =>
  Object.fromEntries(names.filter((name) => form[name]?.trim()).map((name) => [name, form[name]?.trim()]));

const CREATE_FIELDS = ["slug", "name", "provider", "api_key", "custom_host"] as const;

function createForm(csrf: string, state: FormState) {
  return html`${formProblem(state, CREATE_FIELDS)}
    <form method="post" action="/dashboard/keys/virtual" class="stack" id="create-virtual-key">
      ${hiddenCsrf(csrf)} ${textField("v", state, "slug", "Slug (models are called as @slug/model)")}
      ${textField("v", state, "name", "Name (optional)")} ${textField("v", state, "provider", "Provider", "openai")}
      ${secretField("v", state, "Provider API key")}
      ${textField("v", state, "custom_host", "Custom host (optional)", "https://…")}
      <button type="submit">Create virtual key</button>
    </form>`;
}

async function createPage(c: DashboardContext, state: FormState = emptyForm(), status: 200 | FormStatus = 200) {
  const { session, csrf } = sessionOf(c);
  const body = html`<p><a href="/dashboard/keys">← Keys</a></p>
    ${adminOnly(session, createForm(csrf, state))}`;
  return c.html(page({ title: "New virtual key", section: "keys", session, csrf }, body), status);
}

virtualKeyPages.get("/new", (c) => createPage(c));

virtualKeyPages.post("/", async (c) => {
  const form = await formStrings(c);
  try {
    const body = parseOrBadRequest(createVirtualKeyBodySchema, filled(form, CREATE_FIELDS));
    await createVirtualKey(c.env, openDb(c.env), sessionOf(c).session.actor, body);
    return c.redirect("/dashboard/keys", 303);
  } catch (error) {
    const fieldError = fieldErrorOf(error);
    if (!fieldError) throw error;
    return createPage(c, { values: { ...form, api_key: "" }, error: fieldError }, formStatus(error));
  }
});

function rotateForm(row: VirtualKeyRow, csrf: string, state: FormState) {
  return html`${formProblem(state, ["api_key"])}
    <form
      method="post"
      action="/dashboard/keys/virtual/${encodeURIComponent(row.id)}/rotate"
      class="stack"
      id="rotate-virtual-key"
    >
      ${hiddenCsrf(csrf)} ${secretField("r", state, "New provider API key")}
      <button type="submit">Rotate</button>
    </form>`;
}

async function rotatePage(c: DashboardContext, row: VirtualKeyRow, state: FormState, status: 200 | FormStatus = 200) {
  const { session, csrf } = sessionOf(c);
  const body = html`<p><a href="/dashboard/keys">← Keys</a></p>
    <p><code>@${row.slug}</code> · ${row.provider}: the new provider key replaces the stored one at once.</p>
    ${adminOnly(session, rotateForm(row, csrf, state))}`;
  return c.html(page({ title: `Rotate @${row.slug}`, section: "keys", session, csrf }, body), status);
}

virtualKeyPages.get("/:id/rotate", async (c) =>
  rotatePage(c, await requireVirtualKey(openDb(c.env), c.req.param("id"), true), emptyForm()),
);

virtualKeyPages.post("/:id/rotate", async (c) => {
  const form = await formStrings(c);
  const db = openDb(c.env);
  const current = await requireVirtualKey(db, c.req.param("id"), true);
  try {
    const body = parseOrBadRequest(rotateVirtualKeyBodySchema, filled(form, ["api_key"]));
    await rotateVirtualKey(c.env, db, sessionOf(c).session.actor, current, body);
    return c.redirect("/dashboard/keys", 303);
  } catch (error) {
    const fieldError = fieldErrorOf(error);
    if (!fieldError) throw error;
    return rotatePage(c, current, { values: {}, error: fieldError }, formStatus(error));
  }
});

virtualKeyPages.post("/:id/delete", async (c) => {
  const db = openDb(c.env);
  await deleteVirtualKey(db, sessionOf(c).session.actor, await requireVirtualKey(db, c.req.param("id"), true));
  return c.redirect("/dashboard/keys", 303);
});
