import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, adminCall, createConfig, expectError, json, uniqueSlug } from "./admin-helpers";
import { callAs, mintAdminKey, sleep } from "./admin-key-helpers";
import { createKey, createVirtualKey } from "./governance-helpers";

/**
 * Every admin route x every kind of credential. Allowed: the handler's own answer (200, or the 400/404 it gives
 * the deliberately bad body or unknown id: mutating routes change nothing here). Refused: the exact 401/403
 * envelope, before the handler.
 */
interface Route {
  method: string;
  path: string;
  body?: unknown;
  /** The scope the route needs: admin, read (read-only GETs) or metrics. */
  needs: "admin" | "read" | "metrics";
  /** What the handler answers once past auth: 200, or 400/404 for the deliberately bad body or id. */
  status: number;
}

const missing = crypto.randomUUID();

function routes(ids: { config: string; key: string; vk: string; adminKey: string }): Route[] {
  const r = (method: string, path: string, needs: Route["needs"], body?: unknown): Route => ({
    method,
    path,
    needs,
    body,
    status: 200,
  });
  const bad = (route: Route): Route => ({ ...route, status: 400 });
  const gone = (route: Route): Route => ({ ...route, status: 404 });
  return [
    r("GET", "/admin/configs", "read"),
    r("GET", `/admin/configs/${ids.config}`, "read"),
    r("GET", `/admin/configs/${ids.config}/versions`, "read"),
    r("GET", `/admin/configs/${ids.config}/versions/1`, "read"),
    bad(r("POST", "/admin/configs", "admin", {})),
    bad(r("PUT", `/admin/configs/${missing}`, "admin", {})),
    bad(r("PATCH", `/admin/configs/${missing}`, "admin", {})),
    gone(r("DELETE", `/admin/configs/${missing}`, "admin")),
    r("GET", "/admin/guardrails", "read"),
    gone(r("GET", `/admin/guardrails/${missing}`, "read")),
    gone(r("GET", `/admin/guardrails/${missing}/versions`, "read")),
    bad(r("POST", "/admin/guardrails", "admin", {})),
    bad(r("PUT", `/admin/guardrails/${missing}`, "admin", {})),
    gone(r("DELETE", `/admin/guardrails/${missing}`, "admin")),
    r("GET", "/admin/keys", "read"),
    r("GET", `/admin/keys/${ids.key}`, "read"),
    r("GET", `/admin/keys/${ids.key}/usage`, "read"),
    bad(r("POST", "/admin/keys", "admin", {})),
    gone(r("PATCH", `/admin/keys/${missing}`, "admin", { rpm: 1 })),
    gone(r("POST", `/admin/keys/${missing}/disable`, "admin")),
    gone(r("POST", `/admin/keys/${missing}/enable`, "admin")),
    gone(r("POST", `/admin/keys/${missing}/rotate`, "admin")),
    gone(r("DELETE", `/admin/keys/${missing}`, "admin")),
    r("GET", "/admin/virtual-keys", "read"),
    r("GET", `/admin/virtual-keys/${ids.vk}`, "read"),
    r("GET", `/admin/virtual-keys/${ids.vk}/usage`, "read"),
    bad(r("POST", "/admin/virtual-keys", "admin", {})),
    r("POST", "/admin/virtual-keys/re-encrypt", "admin"),
    gone(r("PATCH", `/admin/virtual-keys/${missing}`, "admin", { rpm: 1 })),
    bad(r("POST", `/admin/virtual-keys/${missing}/rotate`, "admin", {})),
    gone(r("POST", `/admin/virtual-keys/${missing}/disable`, "admin")),
    gone(r("POST", `/admin/virtual-keys/${missing}/enable`, "admin")),
    gone(r("DELETE", `/admin/virtual-keys/${missing}`, "admin")),
    r("GET", "/admin/logs", "read"),
    gone(r("GET", `/admin/logs/${missing}`, "read")),
    r("GET", "/admin/analytics", "read"),
    r("GET", "/admin/cache/stats", "read"),
    bad(r("POST", "/admin/cache/invalidate", "admin", {})),
    r("GET", "/admin/audit", "read"),
    r("GET", "/admin/admin-keys", "admin"),
    r("GET", `/admin/admin-keys/${ids.adminKey}`, "admin"),
    bad(r("POST", "/admin/admin-keys", "admin", {})),
    gone(r("DELETE", `/admin/admin-keys/${missing}`, "admin")),
    gone(r("GET", "/admin/no-such-route", "admin")),
    r("GET", "/metrics", "metrics"),
  ];
}

const GRANTS: Record<string, Array<Route["needs"]>> = {
  admin: ["admin", "read", "metrics"],
  read: ["read", "metrics"],
  metrics: ["metrics"],
};

/** Past auth and the scope check: the handler gave its own answer. */
async function expectAllowed(res: Response, route: Route, who: string): Promise<void> {
  const text = await res.text();
  expect(res.status, `${who} ${route.method} ${route.path}: ${text}`).toBe(route.status);
}

describe("admin API keys: scopes on every admin route", () => {
  const tokens: Record<string, string> = {};
  let table: Route[] = [];

  beforeAll(async () => {
    const config = await createConfig(uniqueSlug("scoped"));
    const key = await createKey();
    const vk = await createVirtualKey();
    const [admin, read, metrics, revoked, expiring] = await Promise.all([
      mintAdminKey(["admin"]),
      mintAdminKey(["read"]),
      mintAdminKey(["metrics"]),
      mintAdminKey(["admin"]),
      mintAdminKey(["admin"], { expires_at: new Date(Date.now() + 1_500).toISOString() }),
    ]);
    await json(await adminCall({ method: "DELETE", path: `/admin-keys/${revoked.id}` }));
    Object.assign(tokens, {
      token: ADMIN_TOKEN,
      admin: admin.key,
      read: read.key,
      metrics: metrics.key,
      revoked: revoked.key,
      expired: expiring.key,
      gateway: key.key,
    });
    table = routes({ config: config.slug, key: key.id, vk: vk.slug, adminKey: admin.id });
    await sleep(1_600); // `expiring` has expired now
  });

  it("ADMIN_TOKEN and an admin-scoped key pass on every route", async () => {
    for (const who of ["token", "admin"]) {
      for (const route of table)
        await expectAllowed(await callAs(tokens[who] ?? "", route.method, route.path, route.body), route, who);
    }
  });

  it("read and metrics keys pass where their scope suffices and get 403 insufficient_scope elsewhere", async () => {
    for (const who of ["read", "metrics"]) {
      for (const route of table) {
        const res = await callAs(tokens[who] ?? "", route.method, route.path, route.body);
        if (GRANTS[who]?.includes(route.needs)) {
          await expectAllowed(res, route, who);
          continue;
        }
        const error = await expectError(res, 403, { type: "permission_error", code: "insufficient_scope" });
        expect(error.message).toContain(
          `lacks the \`${route.needs}\` scope needed for ${route.method} ${route.path} (it has: ${who})`,
        );
      }
    }
  });

  it("no credential, a revoked key, an expired key, a gateway key and a forged admin key get 401 everywhere", async () => {
    const forged = `agk_admin_${"A".repeat(43)}`;
    const cases: Array<[string | null, string]> = [
      [null, "missing_admin_token"],
      [tokens.revoked ?? "", "admin_key_revoked"],
      [tokens.expired ?? "", "admin_key_expired"],
      [tokens.gateway ?? "", "invalid_admin_token"],
      [forged, "invalid_admin_key"],
    ];
    for (const [token, code] of cases) {
      for (const route of table) {
        const res = await callAs(token, route.method, route.path, route.body);
        expect(res.headers.get("www-authenticate"), `${code} ${route.path}`).toMatch(/^Bearer/);
        await expectError(res, 401, { type: "authentication_error", code });
      }
    }
  });

  it("says why: a gateway key is not an admin credential, a revoked or expired key is named", async () => {
    const path = "/admin/configs";
    expect((await expectError(await callAs(tokens.gateway ?? "", "GET", path), 401)).message).toMatch(
      /gateway API key \(pk-gw-\.\.\.\) is not an admin credential/,
    );
    expect((await expectError(await callAs(tokens.revoked ?? "", "GET", path), 401)).message).toMatch(
      /^admin API key ".+" \(.+\) is revoked$/,
    );
    expect((await expectError(await callAs(tokens.expired ?? "", "GET", path), 401)).message).toMatch(
      /expired at \d{4}-\d\d-\d\dT/,
    );
  });
});
