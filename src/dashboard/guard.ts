import { deleteCookie, getCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { grants } from "../admin/scopes";
import { adminKeyByHash } from "../admin/admin-key-store";
import type { DashboardContext, DashboardEnv } from "./context";
import { csrfTokenOf, csrfTokenValid, SESSION_COOKIE, verifySession, type DashboardSession } from "./session";
import { messagePage } from "./pages/message";
import { sessionIsLive } from "./session-store";
import { openDb } from "../storage/db";
import { waitUntilOf } from "../wait-until";

export const COOKIE_PATH = "/dashboard";
const SAFE_METHODS = new Set(["GET", "HEAD"]);

/** An admin API key's session lasts only while the key does: revoked or expired signs it out (within the key cache's 10 s). */
async function stillValid(env: Env, session: DashboardSession): Promise<boolean> {
  if (session.keyHash === undefined) return true;
  const key = await adminKeyByHash(env, session.keyHash);
  if (!key || key.revokedAt !== null || (key.expiresAt !== null && key.expiresAt <= Date.now())) return false;
  return grants(key.scopes, session.role);
}

/** The session's D1 row still stands: not revoked (Sessions page, sign-out), not expired (session-store.ts). */
const stillStanding = (c: DashboardContext, session: DashboardSession): Promise<boolean> =>
  sessionIsLive(openDb(c.env), session.sid, waitUntilOf(c));

/** A cross-site form post carries another Origin (when the browser sends one at all): refused before anything else. */
export function sameOrigin(c: DashboardContext): boolean {
  const origin = c.req.header("origin");
  if (origin === undefined) return true;
  return origin === new URL(c.req.url).origin;
}

async function presentedCsrf(c: DashboardContext): Promise<string | undefined> {
  const header = c.req.header("x-csrf-token");
  if (header !== undefined) return header;
  const type = c.req.header("content-type") ?? "";
  if (!type.startsWith("application/x-www-form-urlencoded") && !type.startsWith("multipart/form-data"))
    return undefined;
  const value = (await c.req.parseBody())._csrf;
  return typeof value === "string" ? value : undefined;
}

export const refused = (c: DashboardContext, why: string) => c.html(messagePage("Refused", why), 403);

/**
 * Every page but sign-in: a valid session cookie, else a redirect to sign-in (a page is never shown signed out);
 * every state-changing request: the same origin and the session's CSRF token, else 403.
 */
export function requireSession() {
  return createMiddleware<DashboardEnv>(async (c, next) => {
    const adminToken = c.env.ADMIN_TOKEN;
    if (!adminToken)
      return c.html(
        messagePage("Dashboard disabled", "Set ADMIN_TOKEN (wrangler secret put ADMIN_TOKEN) to use the dashboard."),
        503,
      );
    const session = await verifySession(adminToken, getCookie(c, SESSION_COOKIE));
    if (!session || !(await stillValid(c.env, session)) || !(await stillStanding(c, session))) {
      deleteCookie(c, SESSION_COOKIE, { path: COOKIE_PATH, secure: true });
      return c.redirect("/dashboard/sign-in", 303);
    }
    if (!SAFE_METHODS.has(c.req.method)) {
      if (!sameOrigin(c)) return refused(c, "This form came from another site.");
      if (!(await csrfTokenValid(adminToken, session, await presentedCsrf(c)))) {
        return refused(
          c,
          "The form's CSRF token is missing or does not belong to this session. Reload the page and try again.",
        );
      }
    }
    c.set("session", session);
    c.set("csrf", await csrfTokenOf(adminToken, session));
    await next();
  });
}

/** Edits need the admin role: a read-only session (an admin API key with `read`) sees no edit forms and gets 403 here. */
export function requireAdminRole() {
  return createMiddleware<DashboardEnv>(async (c, next) => {
    if (c.var.session?.role !== "admin")
      return refused(
        c,
        "This session is read-only: sign in with ADMIN_TOKEN or an admin API key with the admin scope to make changes.",
      );
    await next();
  });
}

/** Pages are readable by every session; posts (create, edit, archive, delete) need the admin role. */
export function requireAdminForWrites() {
  const admin = requireAdminRole();
  return createMiddleware<DashboardEnv>(async (c, next) => (SAFE_METHODS.has(c.req.method) ? next() : admin(c, next)));
}
