import { html } from "hono/html";
import { versionParamSchema } from "../../schema/admin";
import {
  createGuardrailMetaSchema,
  guardrailDefinitionOf,
  replaceGuardrailMetaSchema,
} from "../../schema/admin-guardrails";
import type { GuardrailRow } from "../../schema/db/guardrails";
import { parseOrBadRequest } from "../admin/validate";
import { presentGuardrailVersion } from "../configs/guardrail-present";
import { findGuardrailVersion, listGuardrailRows, listGuardrailVersionRows } from "../configs/guardrail-repository";
import { addGuardrailVersion, createGuardrail, requireGuardrail } from "../configs/guardrail-service";
import { serializeValidGuardrail } from "../configs/guardrail-validate";
import { GatewayError } from "../errors";
import { openDb } from "../storage/db";
import { sessionOf, type DashboardContext } from "./context";
import { fieldErrorOf, formStatus, formStrings, type FieldError, type FormStatus } from "./form-input";
import { createGuardrailForm, editGuardrailForm, guardrailHref } from "./guardrail-forms";
import { echoGuardrailJson, guardrailJsonOf } from "./guardrail-input";
import { emptyForm, type FormState } from "./pages/form-fields";
import { page } from "./pages/layout";
import { savedListBody, showsArchived, versionLinks } from "./saved-item-views";
import { savedItemTable } from "./saved-table";

/**
 * Saved guardrails: list, versions, create, new version. Writes run the admin API's steps: its meta schema, the
 * normaliser and check registry (serializeValidGuardrail: unknown check or bad parameter, with the path), then the
 * guardrail service (audit row). Bodies are shown through the presenter, so webhook headers stay masked.
 */

const frameOf = (c: DashboardContext, title: string) => ({ title, section: "guardrails" as const, ...sessionOf(c) });

function guardrailTable(rows: GuardrailRow[]) {
  return savedItemTable(rows, {
    kind: "guardrail",
    href: guardrailHref,
    empty: html`<div class="empty">
      No saved guardrails yet. Create one below (or with <code>POST /admin/guardrails</code>) and use it in a config's
      <code>input_guardrails</code> / <code>output_guardrails</code> or a gateway key's default guardrails by slug.
    </div>`,
    versionHeading: "version",
  });
}

/** A refused form: the admin API's error, at the JSON field unless it names slug or name; headers masked again. */
function refused(form: Record<string, string>, error: FieldError): FormState {
  const field = ["slug", "name", "_"].includes(error.field) ? error.field : "guardrail";
  return { values: { ...form, guardrail: echoGuardrailJson(form.guardrail) }, error: { ...error, field } };
}

export async function listPage(c: DashboardContext, form: FormState = emptyForm(), status: 200 | FormStatus = 200) {
  const { session, csrf } = sessionOf(c);
  const archived = showsArchived(c);
  const rows = await listGuardrailRows(openDb(c.env), { limit: 100, includeArchived: archived });
  const body = savedListBody({ base: "/dashboard/guardrails", archived, session }, guardrailTable(rows), () =>
    createGuardrailForm(csrf, form),
  );
  return c.html(page(frameOf(c, "Guardrails"), body), status);
}

export async function createFromForm(c: DashboardContext) {
  const form = await formStrings(c);
  try {
    const name = form.name?.trim() ? { name: form.name } : {};
    const body = parseOrBadRequest(createGuardrailMetaSchema, {
      ...guardrailJsonOf(form.guardrail),
      slug: form.slug ?? "",
      ...name,
    });
    const definition = serializeValidGuardrail(guardrailDefinitionOf(body), c.env);
    const row = await createGuardrail(openDb(c.env), sessionOf(c).session.actor, {
      slug: body.slug,
      name: body.name,
      definition,
    });
    return c.redirect(guardrailHref(row), 303);
  } catch (error) {
    const fieldError = fieldErrorOf(error);
    if (!fieldError) throw error;
    return listPage(c, refused(form, fieldError), formStatus(error));
  }
}

/** One version's body (presented: headers masked), all versions, and the new-version form prefilled (masked). */
export async function detailPage(c: DashboardContext, form?: FormState, status: 200 | FormStatus = 200) {
  const { session, csrf } = sessionOf(c);
  const db = openDb(c.env);
  const row = await requireGuardrail(db, c.req.param("id") ?? "");
  const raw = c.req.param("version");
  const number = raw === undefined ? row.latestVersion : parseOrBadRequest(versionParamSchema, raw, "version");
  const [shown, versions] = await Promise.all([
    findGuardrailVersion(db, row.id, number),
    listGuardrailVersionRows(db, row.id, { limit: 100 }),
  ]);
  if (!shown)
    throw new GatewayError(404, `guardrail ${JSON.stringify(row.slug)} has no version ${number}`, {
      code: "guardrail_version_not_found",
    });
  const text = JSON.stringify(presentGuardrailVersion(shown).guardrail, null, 2);
  const edit = form ?? emptyForm({ name: row.name, guardrail: text });
  const body = html`<p><a href="/dashboard/guardrails">← Guardrails</a></p>
    <p>
      <code>${row.id}</code> · ${row.name}${row.archived ? " · archived" : ""} · use it by slug:
      <code>"input_guardrails": ["${row.slug}"]</code>
    </p>
    <div class="split">
      <section>
        <h2>Version ${number}</h2>
        <pre id="guardrail-body">${text}</pre>
      </section>
      <section>${versionLinks(guardrailHref(row), "guardrail-versions", versions, number)}</section>
    </div>
    ${session.role === "admin" ? editGuardrailForm(row, csrf, edit) : ""}`;
  return c.html(page(frameOf(c, `Guardrail ${row.slug}`), body), status);
}

export async function newVersionFromForm(c: DashboardContext) {
  const form = await formStrings(c);
  const db = openDb(c.env);
  try {
    const name = form.name?.trim() ? { name: form.name } : {};
    const body = parseOrBadRequest(replaceGuardrailMetaSchema, { ...guardrailJsonOf(form.guardrail), ...name });
    const definition = serializeValidGuardrail(guardrailDefinitionOf(body), c.env);
    const current = await requireGuardrail(db, c.req.param("id") ?? "", true);
    const row = await addGuardrailVersion(db, sessionOf(c).session.actor, current, { definition, name: body.name });
    return c.redirect(guardrailHref(row), 303);
  } catch (error) {
    const fieldError = fieldErrorOf(error);
    if (!fieldError) throw error;
    return detailPage(c, refused(form, fieldError), formStatus(error));
  }
}
