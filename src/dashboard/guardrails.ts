import { Hono } from "hono";
import { html } from "hono/html";
import { versionParamSchema } from "../../schema/admin";
import type { GuardrailRow } from "../../schema/db/guardrails";
import { parseOrBadRequest } from "../admin/validate";
import { presentGuardrailVersion } from "../configs/guardrail-present";
import { findGuardrailVersion, listGuardrailRows, listGuardrailVersionRows } from "../configs/guardrail-repository";
import { requireGuardrail } from "../configs/guardrail-service";
import { GatewayError } from "../errors";
import { openDb } from "../storage/db";
import { sessionOf, type DashboardContext, type DashboardEnv } from "./context";
import { when } from "./format";
import { page } from "./pages/layout";
import { savedItemTable } from "./saved-table";

/**
 * Saved guardrails (read-only here): the list and one guardrail's versions, through the admin API's repository
 * and presenter, so webhook headers are masked exactly as GET /admin/guardrails masks them.
 */
export const guardrailPages = new Hono<DashboardEnv>();

const guardrailHref = (row: Pick<GuardrailRow, "id">) => `/dashboard/guardrails/${encodeURIComponent(row.id)}`;

function guardrailTable(rows: GuardrailRow[]) {
  return savedItemTable(rows, {
    kind: "guardrail",
    href: guardrailHref,
    empty: html`<div class="empty">
      No saved guardrails yet. Create one with <code>POST /admin/guardrails</code> ({"slug", and a check}) and use it in
      a config's <code>input_guardrails</code> / <code>output_guardrails</code> by slug.
    </div>`,
    versionHeading: "version",
  });
}

guardrailPages.get("/", async (c) => {
  const archived = c.req.query("archived") === "1";
  const rows = await listGuardrailRows(openDb(c.env), { limit: 100, includeArchived: archived });
  const toggle = archived
    ? html`<a href="/dashboard/guardrails">Hide archived</a>`
    : html`<a href="/dashboard/guardrails?archived=1">Show archived</a>`;
  return c.html(
    page(
      { title: "Guardrails", section: "guardrails", ...sessionOf(c) },
      html`<p>${toggle}</p>
        ${guardrailTable(rows)}`,
    ),
  );
});

/** One version's body (presented: headers masked) and the list of all versions, the shown one marked. */
async function detailPage(c: DashboardContext) {
  const db = openDb(c.env);
  const row = await requireGuardrail(db, c.req.param("id") ?? "");
  const versionText = c.req.param("version");
  const version =
    versionText === undefined ? row.latestVersion : parseOrBadRequest(versionParamSchema, versionText, "version");
  const [shown, versions] = await Promise.all([
    findGuardrailVersion(db, row.id, version),
    listGuardrailVersionRows(db, row.id, { limit: 100 }),
  ]);
  if (!shown)
    throw new GatewayError(404, `guardrail ${JSON.stringify(row.slug)} has no version ${version}`, {
      code: "guardrail_version_not_found",
    });
  const items = versions.map(
    (v) =>
      html`<li>
        <a href="${guardrailHref(row)}/versions/${v.version}" ${v.version === version ? html`aria-current="page"` : ""}
          >v${v.version}</a
        >
        · ${when(v.createdAt.toISOString())} by ${v.createdBy}
      </li>`,
  );
  const body = html`<p><a href="/dashboard/guardrails">← Guardrails</a></p>
    <p><code>${row.id}</code> · ${row.name}${row.archived ? " · archived" : ""}</p>
    <h2>Version ${version}</h2>
    <pre id="guardrail-body">${JSON.stringify(presentGuardrailVersion(shown).guardrail, null, 2)}</pre>
    <h2>Versions</h2>
    <ul id="guardrail-versions">
      ${items}
    </ul>`;
  return c.html(page({ title: `Guardrail ${row.slug}`, section: "guardrails", ...sessionOf(c) }, body));
}

guardrailPages.get("/:id", detailPage);
guardrailPages.get("/:id/versions/:version", detailPage);
