import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { CONTENT_SECURITY_POLICY } from "../../src/dashboard/security";
import { signSession } from "../../src/dashboard/session";
import { ADMIN_TOKEN, adminCall, json } from "./admin-helpers";
import { mintAdminKey } from "./admin-key-helpers";
import { cookiesOf, csrfIn, dash, ORIGIN, setCookieLine, signIn } from "./dashboard-helpers";

const PAGES = [
  "/dashboard",
  "/dashboard/usage",
  "/dashboard/logs",
  "/dashboard/logs/some-id",
  "/dashboard/keys",
  "/dashboard/configs",
  "/dashboard/prompts",
  "/dashboard/guardrails",
  "/dashboard/keys/virtual/new",
  "/dashboard/nowhere",
];

const keysNamed = async (name: string) =>
  (await env.DB.prepare("select count(*) as n from gateway_keys where name = ?").bind(name).first<{ n: number }>())
    ?.n ?? -1;

describe("dashboard: signed out", () => {
  it("every page redirects to sign-in, and a form post changes nothing", async () => {
    for (const path of PAGES) {
      const res = await dash(path);
      expect(res.status, path).toBe(303);
      expect(res.headers.get("location"), path).toBe("/dashboard/sign-in");
    }
    const post = await dash("/dashboard/keys", { form: { name: "signed-out-key" } });
    expect(post.status).toBe(303);
    expect(await keysNamed("signed-out-key")).toBe(0);
  });

  it("forged, tampered, expired and other-token cookies are no session", async () => {
    const good = await signIn();
    const [name, value] = good.split("=") as [string, string];
    const [payload, signature] = value.split(".") as [string, string];
    const forgedPayload = btoa(JSON.stringify({ sid: "x", role: "admin", actor: "me", exp: Date.now() + 1e6 })).replace(
      /=+$/,
      "",
    );
    const expired = await signSession(ADMIN_TOKEN, { sid: "s", role: "admin", actor: "a", exp: Date.now() - 1 });
    const otherToken = await signSession("another-admin-token", {
      sid: "s",
      role: "admin",
      actor: "a",
      exp: Date.now() + 1e6,
    });
    for (const cookie of [
      `${name}=${forgedPayload}.${signature}`,
      `${name}=${payload}.${signature.slice(0, -2)}AA`,
      `${name}=${expired}`,
      `${name}=${otherToken}`,
      `${name}=${payload}`,
    ]) {
      const res = await dash("/dashboard", { cookie });
      expect(res.status, cookie).toBe(303);
    }
    expect((await dash("/dashboard", { cookie: good })).status).toBe(200);
  });
});

describe("dashboard: sign-in", () => {
  it("a wrong token is a 401 with the form again and no session cookie", async () => {
    const form = await dash("/dashboard/sign-in");
    const res = await dash("/dashboard/sign-in", {
      cookie: cookiesOf(form),
      form: { _csrf: csrfIn(await form.text()), token: "nope" },
    });
    expect(res.status).toBe(401);
    expect(setCookieLine(res, "gw_dash")).toBeUndefined();
    expect(await res.text()).toContain("not valid");
  });

  it("the sign-in form needs its own CSRF cookie (no login CSRF) and the same origin", async () => {
    const form = await dash("/dashboard/sign-in");
    const csrf = csrfIn(await form.text());
    expect((await dash("/dashboard/sign-in", { form: { _csrf: csrf, token: ADMIN_TOKEN } })).status).toBe(403);
    const crossSite = await dash("/dashboard/sign-in", {
      cookie: cookiesOf(form),
      origin: "https://evil.example",
      form: { _csrf: csrf, token: ADMIN_TOKEN },
    });
    expect(crossSite.status).toBe(403);
  });

  it("ADMIN_TOKEN gives a session cookie: HttpOnly, Secure, SameSite=Strict, Path=/dashboard, expiring, without the token", async () => {
    const form = await dash("/dashboard/sign-in");
    const res = await dash("/dashboard/sign-in", {
      cookie: cookiesOf(form),
      form: { _csrf: csrfIn(await form.text()), token: ADMIN_TOKEN },
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/dashboard");
    const line = setCookieLine(res, "gw_dash") ?? "";
    expect(line).toMatch(/; HttpOnly/);
    expect(line).toMatch(/; Secure/);
    expect(line).toMatch(/; SameSite=Strict/);
    expect(line).toMatch(/; Path=\/dashboard(;|$)/);
    expect(line).toMatch(/; Max-Age=28800/);
    expect(line).not.toContain(ADMIN_TOKEN);
    const page = await dash("/dashboard", { cookie: line.split(";")[0] });
    expect(page.status).toBe(200);
    expect(await page.text()).not.toContain(ADMIN_TOKEN);
  });

  it("sign-out (a CSRF-checked POST) clears the cookie", async () => {
    const cookie = await signIn();
    const csrf = csrfIn(await (await dash("/dashboard/keys", { cookie })).text());
    expect((await dash("/dashboard/sign-out", { cookie, form: {} })).status).toBe(403);
    const res = await dash("/dashboard/sign-out", { cookie, form: { _csrf: csrf } });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/dashboard/sign-in");
    expect(setCookieLine(res, "gw_dash")).toMatch(/Max-Age=0/);
  });
});

describe("dashboard: CSRF on every state-changing form", () => {
  it("refuses a post without the token, with another session's token, or from another origin; accepts its own", async () => {
    const cookie = await signIn();
    const other = await signIn();
    const mine = csrfIn(await (await dash("/dashboard/keys", { cookie })).text());
    const theirs = csrfIn(await (await dash("/dashboard/keys", { cookie: other })).text());
    expect(mine).not.toBe(theirs);
    const name = `csrf-${crypto.randomUUID()}`;
    expect((await dash("/dashboard/keys", { cookie, form: { name } })).status).toBe(403);
    expect((await dash("/dashboard/keys", { cookie, form: { name, _csrf: theirs } })).status).toBe(403);
    expect(
      (await dash("/dashboard/keys", { cookie, origin: "https://evil.example", form: { name, _csrf: mine } })).status,
    ).toBe(403);
    expect(await keysNamed(name)).toBe(0);
    const created = await dash("/dashboard/keys", { cookie, origin: ORIGIN, form: { name, _csrf: mine } });
    expect(created.status).toBe(201);
    expect(await created.text()).toMatch(/id="new-secret">pk-gw-/);
    expect(await keysNamed(name)).toBe(1);
  });
});

describe("dashboard: security headers", () => {
  it("a strict CSP, no framing, no caching, and no inline script or style in any page", async () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'self'");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toContain("unsafe-inline");
    const cookie = await signIn();
    for (const path of ["/dashboard/sign-in", ...PAGES.slice(0, -1)]) {
      const res = await dash(path, { cookie });
      expect(res.headers.get("content-security-policy"), path).toBe(CONTENT_SECURITY_POLICY);
      expect(res.headers.get("x-frame-options"), path).toBe("DENY");
      expect(res.headers.get("cache-control"), path).toBe("no-store");
      const html = await res.text();
      expect(html, path).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(html, path).not.toMatch(/<style|\sstyle="/);
      expect(html, path).not.toMatch(/\son[a-z]+="/);
    }
  });

  it("static files: our own, with content types and long caching under their hash", async () => {
    const page = await (await dash("/dashboard/sign-in")).text();
    const script = page.match(/src="(\/dashboard\/static\/[0-9a-f]+\/app\.js)"/)?.[1] ?? "";
    const res = await dash(script);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/javascript");
    expect(res.headers.get("cache-control")).toContain("immutable");
    expect(res.headers.get("content-security-policy")).toBe(CONTENT_SECURITY_POLICY);
    expect((await dash("/dashboard/static/abc/secrets.js")).status).toBe(404);
  });
});

describe("dashboard: read-only sessions (an admin API key with the read scope)", () => {
  it("can look but not edit; a revoked key's session ends", async () => {
    const key = await mintAdminKey(["read"]);
    const cookie = await signIn(key.key);
    const keysPage = await dash("/dashboard/keys", { cookie });
    const html = await keysPage.text();
    expect(keysPage.status).toBe(200);
    expect(html).toContain("read-only");
    expect(html).not.toContain('id="create-key"');
    const name = `read-only-${crypto.randomUUID()}`;
    expect((await dash("/dashboard/keys", { cookie, form: { name, _csrf: csrfIn(html) } })).status).toBe(403);
    expect(await keysNamed(name)).toBe(0);

    await json(await adminCall({ method: "DELETE", path: `/admin-keys/${key.id}` }));
    await new Promise((resolve) => setTimeout(resolve, 11_000)); // past the admin key cache's 10 s
    expect((await dash("/dashboard/keys", { cookie })).status).toBe(303);
  }, 20_000);

  it("a metrics-only admin key cannot sign in", async () => {
    const key = await mintAdminKey(["metrics"]);
    const form = await dash("/dashboard/sign-in");
    const res = await dash("/dashboard/sign-in", {
      cookie: cookiesOf(form),
      form: { _csrf: csrfIn(await form.text()), token: key.key },
    });
    expect(res.status).toBe(401);
    expect(setCookieLine(res, "gw_dash")).toBeUndefined();
  });
});
