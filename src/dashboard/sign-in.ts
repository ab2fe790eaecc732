import { Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { credentialOf } from "../admin/auth";
import { grants } from "../admin/scopes";
import { GatewayError } from "../errors";
import { hashAdminKey, looksLikeAdminKey } from "../governance/keys/admin-format";
import { sessionOf, type DashboardContext, type DashboardEnv } from "./context";
import { COOKIE_PATH, refused, requireSession, sameOrigin } from "./guard";
import { messagePage } from "./pages/message";
import { signInPage } from "./pages/sign-in";
import { recordSignInFailure, signInLockout } from "./sign-in-limit";
import { createSessionRow, pruneSessions, revokeSession } from "./session-store";
import { openDb } from "../storage/db";
import { waitUntilOf } from "../wait-until";
import {
  randomToken,
  SESSION_COOKIE,
  SESSION_TTL_MS,
  signSession,
  type DashboardRole,
  type DashboardSession,
} from "./session";

/** Double-submit token of the sign-in form (there is no session to bind it to yet): stops login CSRF. */
const LOGIN_CSRF_COOKIE = "gw_dash_login";
const cookieOptions = { httpOnly: true, secure: true, sameSite: "Strict", path: COOKIE_PATH } as const;

export const signInRoutes = new Hono<DashboardEnv>();

async function showForm(c: DashboardContext, error?: string, status: 200 | 401 | 429 = 200) {
  const csrf = randomToken();
  setCookie(c, LOGIN_CSRF_COOKIE, csrf, { ...cookieOptions, maxAge: 600 });
  return c.html(signInPage(csrf, error), status);
}

/** Too many failed sign-ins from this address (sign-in-limit.ts): 429, Retry-After, the form with the reason. */
function lockedOut(c: DashboardContext, retryAfter: number) {
  c.header("Retry-After", String(retryAfter));
  const minutes = Math.ceil(retryAfter / 60);
  return showForm(
    c,
    `Too many failed sign-ins from your address. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
    429,
  );
}

/** The session's D1 row (what makes it revocable), written before the cookie that names it is handed out. */
async function startSession(c: DashboardContext, session: DashboardSession) {
  const db = openDb(c.env);
  await createSessionRow(db, session, c.req.header("user-agent")).run();
  waitUntilOf(c)(pruneSessions(db).catch((error) => console.error("dashboard session prune failed", error)));
}

signInRoutes.get("/sign-in", (c) => showForm(c));

/** Who the presented token is, as a dashboard role: admin scope edits, read scope looks; anything else is refused. */
async function sessionFor(env: Env, token: string, adminToken: string): Promise<DashboardSession | string> {
  try {
    const credential = await credentialOf(env, token, adminToken);
    const role: DashboardRole | null = grants(credential.scopes, "admin")
      ? "admin"
      : grants(credential.scopes, "read")
        ? "read"
        : null;
    if (role === null) return `${credential.label} has neither the admin nor the read scope`;
    const keyHash =
      credential.label === "ADMIN_TOKEN" || !looksLikeAdminKey(token) ? undefined : await hashAdminKey(token);
    return {
      sid: randomToken(),
      role,
      actor: credential.actor,
      exp: Date.now() + SESSION_TTL_MS,
      ...(keyHash ? { keyHash } : {}),
    };
  } catch (error) {
    if (error instanceof GatewayError && error.status === 401)
      return "That token is not valid: use ADMIN_TOKEN or an admin API key.";
    throw error;
  }
}

signInRoutes.post("/sign-in", async (c) => {
  const adminToken = c.env.ADMIN_TOKEN;
  if (!adminToken)
    return c.html(
      messagePage("Dashboard disabled", "Set ADMIN_TOKEN (wrangler secret put ADMIN_TOKEN) to use the dashboard."),
      503,
    );
  const form = await c.req.parseBody();
  const expected = getCookie(c, LOGIN_CSRF_COOKIE);
  if (!sameOrigin(c) || expected === undefined || form._csrf !== expected)
    return refused(c, "The sign-in form expired or came from another site. Reload it and try again.");
  const retryAfter = await signInLockout(c);
  if (retryAfter !== null) return lockedOut(c, retryAfter);
  const token = typeof form.token === "string" ? form.token.trim() : "";
  const outcome = token === "" ? "Enter a token." : await sessionFor(c.env, token, adminToken);
  if (typeof outcome === "string") {
    if (token !== "") await recordSignInFailure(c);
    return showForm(c, outcome, 401);
  }
  await startSession(c, outcome);
  deleteCookie(c, LOGIN_CSRF_COOKIE, cookieOptions);
  setCookie(c, SESSION_COOKIE, await signSession(adminToken, outcome), {
    ...cookieOptions,
    maxAge: SESSION_TTL_MS / 1000,
  });
  return c.redirect("/dashboard", 303);
});

signInRoutes.post("/sign-out", requireSession(), async (c) => {
  const { session } = sessionOf(c);
  await revokeSession(openDb(c.env), session.sid, session.actor, "sign_out");
  deleteCookie(c, SESSION_COOKIE, cookieOptions);
  return c.redirect("/dashboard/sign-in", 303);
});
