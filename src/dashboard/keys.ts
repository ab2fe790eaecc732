import { Hono } from "hono";
import { html } from "hono/html";
import { createGatewayKeyBodySchema } from "../../schema/admin-keys";
import type { GatewayKeyRow } from "../../schema/db/keys";
import { parseOrBadRequest } from "../admin/validate";
import { GatewayError } from "../errors";
import { presentGatewayKey } from "../governance/keys/present";
import { createGatewayKey, requireGatewayKey, rotateGatewayKey, setGatewayKeyStatus } from "../governance/keys/service";
import { hasLimits, limitsOf } from "../governance/records";
import { listGatewayKeyRows } from "../governance/repository";
import { presentUsage } from "../governance/usage";
import { requireVirtualKey, setVirtualKeyStatus } from "../governance/virtual-keys/service";
import { openDb } from "../storage/db";
import { sessionOf, type DashboardContext, type DashboardEnv } from "./context";
import { requireAdminRole } from "./guard";
import { count, usd } from "./format";
import { page } from "./pages/layout";
import { actionButton, createKeyForm, secretBox } from "./pages/key-forms";
import { virtualKeySection } from "./virtual-keys";

type Usage = Awaited<ReturnType<typeof presentUsage>>;

/** Live usage from each limited key's limiter (keys without limits have no limiter: nothing to ask). */
async function usageOf(env: Env, rows: GatewayKeyRow[]): Promise<Map<string, Usage>> {
  const limited = rows.filter((row) => hasLimits(limitsOf(row)));
  const usages = await Promise.all(limited.map((row) => presentUsage(env, "gateway_key", row.id, limitsOf(row))));
  return new Map(usages.map((u) => [u.id, u]));
}

function usageCell(usage: Usage | undefined) {
  if (!usage) return html`<span class="muted">no limits</span>`;
  const rpm = usage.rpm.limit === null ? "" : `${count(usage.rpm.used)}/${count(usage.rpm.limit)} rpm`;
  const budget =
    usage.budget.limit_usd === null
      ? ""
      : `${usd(usage.budget.spent_usd)} of ${usd(usage.budget.limit_usd)} ${usage.budget.period}`;
  return [rpm, budget].filter(Boolean).join(" · ");
}

function keyRow(row: GatewayKeyRow, usage: Usage | undefined, csrf: string, canEdit: boolean) {
  const key = presentGatewayKey(row);
  const base = `/dashboard/keys/${encodeURIComponent(key.id)}`;
  const toggle =
    key.status === "active"
      ? actionButton(csrf, `${base}/disable`, "Disable")
      : actionButton(csrf, `${base}/enable`, "Enable");
  const actions = canEdit
    ? html`<div class="actions">
        <a href="${base}/edit" class="button secondary">Edit</a
        >${toggle}${actionButton(csrf, `${base}/rotate`, "Rotate", { confirm: `Rotate ${key.name}? The old secret stops working at once.` })}${actionButton(csrf, `${base}/delete`, "Delete", { danger: true, confirm: `Delete ${key.name}?` })}
      </div>`
    : "";
  return html`<tr data-key-id="${key.id}">
    <td>${key.name}</td>
    <td><code>${key.key_prefix}…</code></td>
    <td data-status>${key.status}</td>
    <td>${key.user ?? ""}</td>
    <td>${key.allowed_models?.join(", ") ?? "all"}</td>
    <td>${usageCell(usage)}</td>
    <td><a href="/dashboard/logs?key=${encodeURIComponent(key.id)}">logs</a></td>
    <td>${actions}</td>
  </tr>`;
}

async function keysPage(
  c: DashboardContext,
  top: ReturnType<typeof html> | "" = "",
  form?: { values: Record<string, string>; errors: Record<string, string> },
  status: 200 | 201 | 400 = 200,
) {
  const { session, csrf } = sessionOf(c);
  const db = openDb(c.env);
  const rows = await listGatewayKeyRows(db, { limit: 100, includeDeleted: false });
  const usage = await usageOf(c.env, rows);
  const canEdit = session.role === "admin";
  const table = rows.length
    ? html`<div class="table-wrap">
        <table id="gateway-keys">
          <thead>
            <tr>
              <th>name</th>
              <th>prefix</th>
              <th>status</th>
              <th>user</th>
              <th>models</th>
              <th>usage now</th>
              <th></th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            ${rows.map((row) => keyRow(row, usage.get(row.id), csrf, canEdit))}
          </tbody>
        </table>
      </div>`
    : html`<div class="empty">
        No gateway keys yet. ${canEdit ? "Create one below; clients send it as their API key." : ""}
      </div>`;
  const body = html`${top}
    <h2>Gateway keys</h2>
    ${table}${canEdit ? createKeyForm(csrf, form?.values, form?.errors) : ""}${await virtualKeySection(c, canEdit)}`;
  return c.html(page({ title: "Keys", section: "keys", session, csrf }, body), status);
}

/** The form's strings -> the admin API's create body (numbers parsed, empty fields left out). */
function createBodyOf(form: Record<string, string>): Record<string, unknown> {
  const body: Record<string, unknown> = { name: form.name ?? "" };
  if (form.user) body.user = form.user;
  if (form.allowed_models)
    body.allowed_models = form.allowed_models
      .split(",")
      .map((m) => m.trim())
      .filter(Boolean);
  for (const name of ["rpm", "budget_usd"] as const) if (form[name]) body[name] = Number(form[name]);
  if (form.budget_usd && form.budget_period) body.budget_period = form.budget_period;
  return body;
}

const formStrings = async (c: DashboardContext) =>
  Object.fromEntries(
    Object.entries(await c.req.parseBody()).filter((e): e is [string, string] => typeof e[1] === "string"),
  );

export const keyPages = new Hono<DashboardEnv>();

keyPages.get("/", (c) => keysPage(c));
keyPages.use("/*", async (c, next) => (c.req.method === "GET" ? next() : requireAdminRole()(c, next)));

keyPages.post("/", async (c) => {
  const form = await formStrings(c);
  try {
    const body = parseOrBadRequest(createGatewayKeyBodySchema, createBodyOf(form));
    const { row, secret } = await createGatewayKey(openDb(c.env), sessionOf(c).session.actor, body);
    return keysPage(c, secretBox(row.name, secret), undefined, 201);
  } catch (error) {
    if (!(error instanceof GatewayError) || error.status !== 400) throw error;
    const field = error.param?.split(/[.[]/)[0] ?? "_";
    return keysPage(c, "", { values: form, errors: { [field || "_"]: error.message } }, 400);
  }
});

keyPages.post("/virtual/:id/:action{disable|enable}", async (c) => {
  const db = openDb(c.env);
  const current = await requireVirtualKey(db, c.req.param("id"), true);
  await setVirtualKeyStatus(
    db,
    sessionOf(c).session.actor,
    current,
    c.req.param("action") === "enable" ? "active" : "disabled",
    c.req.param("action"),
  );
  return c.redirect("/dashboard/keys", 303);
});

keyPages.post("/:id/:action{disable|enable|rotate|delete}", async (c) => {
  const db = openDb(c.env);
  const actor = sessionOf(c).session.actor;
  const current = await requireGatewayKey(db, c.req.param("id"), true);
  const action = c.req.param("action");
  if (action === "rotate") {
    const { row, secret } = await rotateGatewayKey(db, actor, current);
    return keysPage(c, secretBox(row.name, secret));
  }
  const status = action === "enable" ? "active" : action === "disable" ? "disabled" : "deleted";
  await setGatewayKeyStatus(db, actor, current, status, action);
  return c.redirect("/dashboard/keys", 303);
});
