import { Hono } from "hono";
import { html } from "hono/html";
import type { DashboardSessionRow } from "../../schema/db";
import { openDb } from "../storage/db";
import { sessionOf, type DashboardContext, type DashboardEnv } from "./context";
import { when } from "./format";
import { requireAdminRole } from "./guard";
import { actionButton } from "./pages/key-forms";
import { page } from "./pages/layout";
import { messagePage } from "./pages/message";
import { listActiveSessions, revokeSession } from "./session-store";

/**
 * /dashboard/sessions (admin role only): who is signed in, from which browser, since when; any session can be
 * revoked (a CSRF-checked post, audited as `revoke` of a `dashboard_session`). The revoked browser is signed out at
 * its next request (within the isolate cache's few seconds, session-store.ts).
 */
export const sessionPages = new Hono<DashboardEnv>();

sessionPages.use("/*", requireAdminRole());

const BROWSERS: ReadonlyArray<readonly [string, RegExp]> = [
  ["Edge", /Edg\/(\d+)/],
  ["Opera", /OPR\/(\d+)/],
  ["Firefox", /Firefox\/(\d+)/],
  ["HeadlessChrome", /HeadlessChrome\/(\d+)/],
  ["Chrome", /Chrome\/(\d+)/],
  ["Safari", /Version\/(\d+)[\d.]* (?:Mobile\/\S+ )?Safari/],
];

/**
 * A User-Agent as people read it ("HeadlessChrome 131 · X11"), short enough to keep the Revoke button in view; the
 * full string is in the cell's title. Unrecognised agents are cut.
 */
export function shortAgent(agent: string | null): string {
  if (agent === null) return "–";
  // Most specific first: Edge and Opera also say Chrome, Chrome also says Safari.
  const browser = BROWSERS.map(([name, pattern]) => [name, pattern.exec(agent)?.[1]] as const).find(([, v]) => v);
  const platform = /\((Windows|Macintosh|X11|iPhone|iPad|Android|Linux)/.exec(agent)?.[1];
  if (!browser) return agent.length > 32 ? `${agent.slice(0, 31)}…` : agent;
  return `${browser[0]} ${browser[1]}${platform ? ` · ${platform}` : ""}`;
}

function sessionRow(row: DashboardSessionRow, current: string, csrf: string) {
  const mine = row.id === current;
  return html`<tr data-session="${row.id}">
    <td>${row.actor}${mine ? html` <span class="badge">this session</span>` : ""}</td>
    <td>${row.role}</td>
    <td>${when(row.createdAt.toISOString())}</td>
    <td>${when(row.lastSeenAt.toISOString())}</td>
    <td>${when(row.expiresAt.toISOString())}</td>
    <td title="${row.userAgent ?? ""}">${shortAgent(row.userAgent)}</td>
    <td>
      ${actionButton(csrf, `/dashboard/sessions/${encodeURIComponent(row.id)}/revoke`, mine ? "Sign out" : "Revoke", {
        danger: true,
        confirm: mine ? "Sign this session out?" : "Revoke this session? That browser is signed out.",
      })}
    </td>
  </tr>`;
}

async function sessionsPage(c: DashboardContext) {
  const { session, csrf } = sessionOf(c);
  const rows = await listActiveSessions(openDb(c.env));
  const body = html`<p>Active dashboard sessions. Revoking one signs that browser out at its next page.</p>
    <div class="table-wrap">
      <table id="sessions">
        <thead>
          <tr>
            <th>who</th>
            <th>role</th>
            <th>signed in</th>
            <th>last seen</th>
            <th>expires</th>
            <th>browser</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          ${rows.map((row) => sessionRow(row, session.sid, csrf))}
        </tbody>
      </table>
    </div>`;
  return c.html(page({ title: "Sessions", section: "sessions", session, csrf }, body));
}

sessionPages.get("/", sessionsPage);

sessionPages.post("/:id/revoke", async (c) => {
  const { session } = sessionOf(c);
  const revoked = await revokeSession(openDb(c.env), c.req.param("id"), session.actor, "revoke");
  if (!revoked) return c.html(messagePage("Not found", "No active session with that id."), 404);
  return c.redirect("/dashboard/sessions", 303);
});
