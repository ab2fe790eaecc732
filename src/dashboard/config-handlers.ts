import { html } from "hono/html";
import { createConfigBodySchema, replaceConfigBodySchema, versionParamSchema } from "../../schema/admin";
import { parseOrBadRequest } from "../admin/validate";
import { findVersion, listConfigRows, listVersionRows } from "../configs/repository";
import { presentVersion } from "../configs/present";
import { addVersion, createConfig, requireConfig } from "../configs/service";
import { serializeValidConfig } from "../configs/validate";
import { GatewayError } from "../errors";
import { openDb } from "../storage/db";
import { sessionOf, type DashboardContext } from "./context";
import { configHref, configTable, createConfigForm, editConfigForm, versionList } from "./config-views";
import { fieldErrorOf, formStatus, formStrings, parseJsonField, type FormStatus } from "./form-input";
import { emptyForm, type FormState } from "./pages/form-fields";
import { page } from "./pages/layout";
import { savedListBody, showsArchived } from "./saved-item-views";

/**
 * The configs pages. Every write goes through the admin API's own steps: the body schema of POST/PUT
 * /admin/configs, serializeValidConfig (routing schema, custom hosts, guardrails, masked keys, size), then the
 * configs service (sealing, audit row): a config the API would refuse is refused here with the same message and path.
 */

const frameOf = (c: DashboardContext, title: string) => ({ title, section: "configs" as const, ...sessionOf(c) });

/** The form's fields -> the admin API's JSON body (empty optional fields left out, as a client would). */
function bodyOf(form: Record<string, string>, withSlug: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = { config: parseJsonField(form.config, "config") };
  if (withSlug) body.slug = form.slug ?? "";
  if (form.name?.trim()) body.name = form.name;
  return body;
}

export async function listPage(c: DashboardContext, form: FormState = emptyForm(), status: 200 | FormStatus = 200) {
  const { session, csrf } = sessionOf(c);
  const archived = showsArchived(c);
  const rows = await listConfigRows(openDb(c.env), { limit: 100, includeArchived: archived });
  const body = savedListBody({ base: "/dashboard/configs", archived, session }, configTable(rows), () =>
    createConfigForm(csrf, form),
  );
  return c.html(page(frameOf(c, "Configs"), body), status);
}

export async function createFromForm(c: DashboardContext) {
  const form = await formStrings(c);
  try {
    const body = parseOrBadRequest(createConfigBodySchema, bodyOf(form, true));
    const configJson = serializeValidConfig(body.config, c.env);
    const row = await createConfig(c.env, openDb(c.env), sessionOf(c).session.actor, {
      slug: body.slug,
      name: body.name,
      configJson,
    });
    return c.redirect(configHref(row), 303);
  } catch (error) {
    const fieldError = fieldErrorOf(error);
    if (!fieldError) throw error;
    return listPage(c, { values: form, error: fieldError }, formStatus(error));
  }
}

/** A config and one of its versions (the latest unless the path names one), with the new-version form. */
export async function detailPage(c: DashboardContext, form?: FormState, status: 200 | FormStatus = 200) {
  const { session, csrf } = sessionOf(c);
  const db = openDb(c.env);
  const row = await requireConfig(db, c.req.param("id") ?? "");
  const raw = c.req.param("version");
  const number = raw === undefined ? row.latestVersion : parseOrBadRequest(versionParamSchema, raw, "version");
  const version = await findVersion(db, row.id, number);
  if (!version)
    throw new GatewayError(404, `config ${JSON.stringify(row.slug)} has no version ${number}`, {
      code: "config_version_not_found",
    });
  const shown = JSON.stringify(presentVersion(version).config, null, 2);
  const versions = await listVersionRows(db, row.id, { limit: 100 });
  const edit = form ?? emptyForm({ name: row.name, config: shown });
  const body = html`<p><a href="/dashboard/configs">← Configs</a></p>
    <p>
      <code>${row.id}</code> · name ${row.name} · ${row.archived ? "archived" : "live"} · use it with
      <code>x-portkey-config: ${row.slug}</code>
    </p>
    <div class="split">
      <section>
        <h2>Version ${number}${number === row.latestVersion ? " (latest)" : ""}</h2>
        <pre id="config-json">${shown}</pre>
      </section>
      <section>${versionList(row, versions, number)}</section>
    </div>
    ${session.role === "admin" ? editConfigForm(row, csrf, edit) : ""}`;
  return c.html(page(frameOf(c, `Config ${row.slug}`), body), status);
}

export async function newVersionFromForm(c: DashboardContext) {
  const form = await formStrings(c);
  const db = openDb(c.env);
  try {
    const body = parseOrBadRequest(replaceConfigBodySchema, bodyOf(form, false));
    const configJson = serializeValidConfig(body.config, c.env);
    const current = await requireConfig(db, c.req.param("id") ?? "", true);
    const row = await addVersion(c.env, db, sessionOf(c).session.actor, current, { configJson, name: body.name });
    return c.redirect(configHref(row), 303);
  } catch (error) {
    const fieldError = fieldErrorOf(error);
    if (!fieldError) throw error;
    return detailPage(c, { values: form, error: fieldError }, formStatus(error));
  }
}
