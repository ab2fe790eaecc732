import { html } from "hono/html";
import { hasLimits, limitsOf } from "../governance/records";
import { listVirtualKeyRows } from "../governance/repository";
import { presentUsage } from "../governance/usage";
import { presentVirtualKey } from "../governance/virtual-keys/present";
import { openDb } from "../storage/db";
import type { DashboardContext } from "./context";
import { count, usd } from "./format";
import { actionButton } from "./pages/key-forms";

const newVirtualKeyLink = html`<p><a href="/dashboard/keys/virtual/new" class="button">New virtual key</a></p>`;

/**
 * Virtual keys (stored provider credentials): list with live usage, enable/disable. Create, rotate and delete are
 * virtual-key-forms.ts.
 */
export async function virtualKeySection(c: DashboardContext, canEdit: boolean) {
  const csrf = c.var.csrf ?? "";
  const rows = await listVirtualKeyRows(openDb(c.env), { limit: 100, includeDeleted: false });
  if (rows.length === 0) {
    return html`<h2>Virtual keys</h2>
      ${canEdit ? newVirtualKeyLink : ""}
      <div class="empty">
        No virtual keys yet. Store a provider key with
        <code>POST /admin/virtual-keys</code> ({"slug","provider","api_key"}) and call models as
        <code>@slug/model</code>.
      </div>`;
  }
  const usages = await Promise.all(
    rows.map((row) => (hasLimits(limitsOf(row)) ? presentUsage(c.env, "virtual_key", row.id, limitsOf(row)) : null)),
  );
  const body = rows.map((row, i) => {
    const vk = presentVirtualKey(row);
    const usage = usages[i];
    const used = usage
      ? `${count(usage.rpm.used)} req/min · ${usd(usage.budget.spent_usd)}${usage.budget.limit_usd === null ? "" : ` of ${usd(usage.budget.limit_usd)}`}`
      : "no limits";
    const base = `/dashboard/keys/virtual/${encodeURIComponent(vk.id)}`;
    const toggle =
      vk.status === "active"
        ? actionButton(csrf, `${base}/disable`, "Disable")
        : actionButton(csrf, `${base}/enable`, "Enable");
    return html`<tr>
      <td><code>@${vk.slug}</code></td>
      <td>${vk.provider}</td>
      <td>${vk.status}</td>
      <td>${vk.api_key_hint}</td>
      <td>${used}</td>
      <td><a href="/dashboard/logs?virtual_key=${encodeURIComponent(vk.id)}">logs</a></td>
      <td>
        ${
          canEdit
            ? html`<div class="actions">
                ${toggle}<a href="${base}/edit" class="button secondary">Edit</a
                ><a href="${base}/rotate" class="button secondary">Rotate</a>${actionButton(
                  csrf,
                  `${base}/delete`,
                  "Delete",
                  { danger: true, confirm: `Delete @${vk.slug}?` },
                )}
              </div>`
            : ""
        }
      </td>
    </tr>`;
  });
  return html`<h2>Virtual keys</h2>
    ${canEdit ? newVirtualKeyLink : ""}
    <div class="table-wrap">
      <table id="virtual-keys">
        <thead>
          <tr>
            <th>slug</th>
            <th>provider</th>
            <th>status</th>
            <th>key</th>
            <th>usage now</th>
            <th></th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          ${body}
        </tbody>
      </table>
    </div>`;
}
