import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { LIVE_CACHE_MS, sessionIsLive } from "../../src/dashboard/session-store";
import { openDb } from "../../src/storage/db";
import { ADMIN_TOKEN } from "./admin-helpers";
import { mintAdminKey } from "./admin-key-helpers";
import { cookiesOf, csrfIn, dash, ORIGIN, setCookieLine, signIn } from "./dashboard-helpers";

/** A sign-in post from one client address (CF-Connecting-IP), as the browser sends it. */
async function signInFrom(ip: string, token: string, userAgent = "TestBrowser/1.0"): Promise<Response> {
  const send = async (init: RequestInit) => {
    const ctx = createExecutionContext();
    const res = await app.fetch(
      new Request(`${ORIGIN}/dashboard/sign-in`, { redirect: "manual", ...init }),
      { ...env, ADMIN_TOKEN },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    return res;
  };
  const form = await send({ headers: { "cf-connecting-ip": ip } });
  return send({
    method: "POST",
    headers: {
      "cf-connecting-ip": ip,
      "user-agent": userAgent,
      origin: ORIGIN,
      cookie: cookiesOf(form),
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ _csrf: csrfIn(await form.text()), token }).toString(),
  });
}

const randomIp = () => `203.0.113.${Math.floor(Math.random() * 250) + 1}-${crypto.randomUUID().slice(0, 4)}`;
const sessionCookie = (res: Response) => setCookieLine(res, "gw_dash")?.split(";")[0] ?? "";

interface SessionRowRaw {
  id: string;
  role: string;
  actor: string;
  user_agent: string | null;
  revoked_at: number | null;
  revoked_by: string | null;
  expires_at: number;
}

const sessionRows = () =>
  env.DB.prepare("SELECT * FROM dashboard_sessions ORDER BY created_at")
    .all<SessionRowRaw>()
    .then((r) => r.results);

describe("dashboard sign-in rate limit (per client address)", () => {
  it("the 6th failure in 15 minutes is a 429 with Retry-After; the right token is refused during the lockout", async () => {
    const ip = randomIp();
    for (let i = 0; i < 4; i++) expect((await signInFrom(ip, "wrong-token")).status).toBe(401);
    // Successful sign-ins do not count.
    for (let i = 0; i < 3; i++) expect((await signInFrom(ip, ADMIN_TOKEN)).status).toBe(303);
    expect((await signInFrom(ip, "wrong-token")).status).toBe(401); // the 5th failure
    const locked = await signInFrom(ip, "wrong-token");
    expect(locked.status).toBe(429);
    const retryAfter = Number(locked.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(await locked.text()).toMatch(
      /role="alert"[^>]*>\s*Too many failed sign-ins from your address\. Try again in 15 minutes\./,
    );
    const right = await signInFrom(ip, ADMIN_TOKEN);
    expect(right.status).toBe(429);
    expect(setCookieLine(right, "gw_dash")).toBeUndefined();
    // Another address is not affected.
    expect((await signInFrom(randomIp(), ADMIN_TOKEN)).status).toBe(303);
  });

  it("keeps the failures in KV under a hash of the address, never the address itself", async () => {
    const ip = `198.51.100.${Math.floor(Math.random() * 250)}`;
    await signInFrom(ip, "wrong-token");
    const { keys } = await env.CACHE.list({ prefix: "sl1:" });
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.some((k) => k.name.includes(ip))).toBe(false);
  });
});

describe("dashboard sessions are rows in D1", () => {
  it("sign-in writes the row (role, actor, browser); sign-out revokes it and the old cookie no longer works", async () => {
    const ua = `SessionBrowser/${crypto.randomUUID()}`;
    const res = await signInFrom(randomIp(), ADMIN_TOKEN, ua);
    const cookie = sessionCookie(res);
    const row = (await sessionRows()).find((r) => r.user_agent === ua);
    expect(row).toMatchObject({ role: "admin", actor: expect.stringMatching(/^admin:/), revoked_at: null });
    expect(cookie).toContain("gw_dash=");
    const page = await dash("/dashboard/sessions", { cookie });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`data-session="${row?.id}"`);
    expect(html).toContain(ua);

    const out = await dash("/dashboard/sign-out", { cookie, origin: ORIGIN, form: { _csrf: csrfIn(html) } });
    expect(out.status).toBe(303);
    const after = (await sessionRows()).find((r) => r.id === row?.id);
    expect(after?.revoked_at).toBeGreaterThan(0);
    // The cookie is still correctly signed, but its row is revoked: signed out.
    const again = await dash("/dashboard", { cookie });
    expect(again.status).toBe(303);
    expect(again.headers.get("location")).toBe("/dashboard/sign-in");
  });

  it("an admin revokes another session from the Sessions page (CSRF, audited); it is signed out at its next request", async () => {
    const victimUa = `Victim/${crypto.randomUUID()}`;
    const victim = sessionCookie(await signInFrom(randomIp(), ADMIN_TOKEN, victimUa));
    expect((await dash("/dashboard", { cookie: victim })).status).toBe(200);
    const victimId = (await sessionRows()).find((r) => r.user_agent === victimUa)?.id ?? "";

    const admin = await signIn();
    const html = await (await dash("/dashboard/sessions", { cookie: admin })).text();
    const action = `/dashboard/sessions/${victimId}/revoke`;
    expect(html).toContain(`action="${action}"`);
    expect((await dash(action, { cookie: admin, origin: ORIGIN, form: {} })).status).toBe(403); // no CSRF token
    expect((await dash("/dashboard", { cookie: victim })).status).toBe(200);

    const revoked = await dash(action, { cookie: admin, origin: ORIGIN, form: { _csrf: csrfIn(html) } });
    expect(revoked.status).toBe(303);
    const next = await dash("/dashboard/logs", { cookie: victim });
    expect(next.status).toBe(303);
    expect(next.headers.get("location")).toBe("/dashboard/sign-in");
    const audit = await env.DB.prepare(
      "SELECT actor, action, resource_type FROM audit_log WHERE resource_id = ? ORDER BY at",
    )
      .bind(victimId)
      .all<{ actor: string; action: string; resource_type: string }>();
    expect(audit.results).toEqual([
      { actor: expect.stringMatching(/^admin:/), action: "revoke", resource_type: "dashboard_session" },
    ]);
    const listed = await (await dash("/dashboard/sessions", { cookie: admin })).text();
    expect(listed).not.toContain(`data-session="${victimId}"`);
  });

  it("an isolate trusts its live answer for at most LIVE_CACHE_MS: a revocation made elsewhere lands within it", async () => {
    const ua = `Cached/${crypto.randomUUID()}`;
    await signInFrom(randomIp(), ADMIN_TOKEN, ua);
    const id = (await sessionRows()).find((r) => r.user_agent === ua)?.id ?? "";
    const db = openDb(env);
    const touches: Promise<unknown>[] = [];
    const now = Date.now();
    expect(await sessionIsLive(db, id, (p) => touches.push(p), now)).toBe(true);
    // Another isolate revokes it: this one does not know yet.
    await env.DB.prepare("UPDATE dashboard_sessions SET revoked_at = ? WHERE id = ?").bind(now, id).run();
    expect(await sessionIsLive(db, id, (p) => touches.push(p), now + LIVE_CACHE_MS - 1)).toBe(true);
    expect(await sessionIsLive(db, id, (p) => touches.push(p), now + LIVE_CACHE_MS + 1)).toBe(false);
    await Promise.all(touches);
  });

  it("a read-only session cannot see or revoke sessions (403)", async () => {
    const viewer = await signIn((await mintAdminKey(["read"])).key);
    expect((await dash("/dashboard/sessions", { cookie: viewer })).status).toBe(403);
    const html = await (await dash("/dashboard", { cookie: viewer })).text();
    const post = await dash("/dashboard/sessions/anything/revoke", {
      cookie: viewer,
      origin: ORIGIN,
      form: { _csrf: csrfIn(html) },
    });
    expect(post.status).toBe(403);
  });
});
