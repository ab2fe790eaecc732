import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { sha256Hex } from "../../src/lib/encoding";
import { KEY_CACHE_TTL_MS } from "../../src/governance/store";
import { ADMIN_TOKEN, adminCall, expectError, json } from "./admin-helpers";
import { callAs, mintAdminKey, type AdminKeyBody, type AdminKeyList, type NewAdminKeyBody } from "./admin-key-helpers";
import { bearer, createKey, fakeOpenAI, withEnv } from "./governance-helpers";
import { useFakeUpstreams } from "./harness";

/** /admin/admin-keys: minting, listing, revoking scoped admin credentials; secrets never stored or shown again. */

useFakeUpstreams();

interface AuditRaw {
  actor: string;
  action: string;
  resource_type: string;
  details: string;
}

const auditOf = async (id: string) =>
  (
    await env.DB.prepare(
      "SELECT actor, action, resource_type, details FROM audit_log WHERE resource_id = ? ORDER BY at, rowid",
    )
      .bind(id)
      .all<AuditRaw>()
  ).results;

afterEach(() => {
  vi.useRealTimers();
});

describe("admin API key lifecycle", () => {
  it("create shows the secret once; get and list never; D1 keeps only its SHA-256 and a prefix", async () => {
    const created = await mintAdminKey(["read", "metrics"], { expires_at: "2099-01-01T00:00:00Z" });
    expect(created.key).toMatch(/^agk_admin_[A-Za-z0-9_-]{43}$/);
    expect(created).toMatchObject({
      object: "admin_api_key",
      key_prefix: created.key.slice(0, 16),
      scopes: ["read", "metrics"],
      status: "active",
      expires_at: "2099-01-01T00:00:00.000Z",
      created_by: "admin:17d6bfe0",
      revoked_at: null,
    });

    const fetched = await json<AdminKeyBody>(await adminCall({ path: `/admin-keys/${created.id}` }));
    expect(fetched).toEqual({ ...created, key: undefined });
    const list = await adminCall({ path: "/admin-keys?limit=100" });
    const listText = await list.text();
    expect(listText).toContain(created.id);
    for (const text of [JSON.stringify(fetched), listText]) {
      expect(text).not.toContain(created.key);
      expect(text).not.toContain(created.key.slice(16));
      expect(text).not.toContain(await sha256Hex(created.key));
    }

    const row = await env.DB.prepare("SELECT * FROM admin_api_keys WHERE id = ?")
      .bind(created.id)
      .first<Record<string, unknown>>();
    expect(row?.key_hash).toBe(await sha256Hex(created.key));
    expect(JSON.stringify(row)).not.toContain(created.key.slice(16));
    const { results } = await env.DB.prepare("SELECT * FROM audit_log WHERE resource_id = ?").bind(created.id).all();
    expect(JSON.stringify(results)).not.toContain(created.key.slice(16));
  });

  it("revoke: 401 from the next request on, 409 the second time, audited with the actor's identity", async () => {
    const minter = await mintAdminKey(["admin"]);
    const created = await mintAdminKey(["read"], {}, minter.key);
    expect(created.created_by).toBe(`admin-key:${minter.id}`);
    expect((await callAs(created.key, "GET", "/admin/logs")).status).toBe(200);

    const revoked = await json<AdminKeyBody>(
      await adminCall({ method: "DELETE", path: `/admin-keys/${created.id}`, token: minter.key }),
    );
    expect(revoked).toMatchObject({ status: "revoked", revoked_by: `admin-key:${minter.id}` });
    expect(revoked.revoked_at).not.toBeNull();
    await expectError(await callAs(created.key, "GET", "/admin/logs"), 401, { code: "admin_key_revoked" });
    await expectError(await adminCall({ method: "DELETE", path: `/admin-keys/${created.id}` }), 409, {
      code: "admin_key_revoked",
    });

    const audit = await auditOf(created.id);
    expect(audit.map((a) => [a.action, a.actor, a.resource_type])).toEqual([
      ["create", `admin-key:${minter.id}`, "admin_api_key"],
      ["revoke", `admin-key:${minter.id}`, "admin_api_key"],
    ]);
    expect(JSON.parse(audit[0]?.details ?? "")).toEqual({
      name: created.name,
      key_prefix: created.key_prefix,
      scopes: "read",
      expires_at: null,
    });
    expect(JSON.parse(audit[1]?.details ?? "")).toEqual({ key_prefix: created.key_prefix });
  });

  it("a change made by an admin key is audited as admin-key:<id>, ADMIN_TOKEN's as admin:<hash8>", async () => {
    const writer = await mintAdminKey(["admin"]);
    const key = await json<{ id: string }>(
      await adminCall({ method: "POST", path: "/keys", body: { name: "by-admin-key" }, token: writer.key }),
      201,
    );
    await json(await adminCall({ method: "POST", path: `/keys/${key.id}/disable` }));
    expect((await auditOf(key.id)).map((a) => [a.action, a.actor])).toEqual([
      ["create", `admin-key:${writer.id}`],
      ["disable", "admin:17d6bfe0"],
    ]);
  });

  it("a metrics-scoped key scrapes /metrics (Prometheus text) and nothing else", async () => {
    const scraper = await mintAdminKey(["metrics"]);
    const res = await callAs(scraper.key, "GET", "/metrics");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(await res.text()).toContain("# TYPE ai_gateway_requests_total counter");
    await expectError(await callAs(scraper.key, "GET", "/admin/logs"), 403, { code: "insufficient_scope" });
  });

  it("revoked by another isolate (straight in D1): refused within KEY_CACHE_TTL_MS", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2031-01-01T00:00:00Z"));
    const created = await mintAdminKey(["metrics"]);
    expect((await callAs(created.key, "GET", "/metrics")).status).toBe(200);
    await env.DB.prepare("UPDATE admin_api_keys SET revoked_at = ?, revoked_by = 'elsewhere' WHERE id = ?")
      .bind(Date.now(), created.id)
      .run();
    vi.advanceTimersByTime(KEY_CACHE_TTL_MS - 1_000);
    expect((await callAs(created.key, "GET", "/metrics")).status).toBe(200); // still cached in this isolate
    vi.advanceTimersByTime(2_000);
    await expectError(await callAs(created.key, "GET", "/metrics"), 401, { code: "admin_key_revoked" });
  });

  it("expired: listed as expired and refused once expires_at passes", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2032-01-01T00:00:00Z"));
    const created = await mintAdminKey(["read"], { expires_at: "2032-01-01T00:01:00Z" });
    expect((await callAs(created.key, "GET", "/admin/audit")).status).toBe(200);
    vi.setSystemTime(new Date("2032-01-01T00:01:00Z"));
    const error = await expectError(await callAs(created.key, "GET", "/admin/audit"), 401, {
      code: "admin_key_expired",
    });
    expect(error.message).toContain("expired at 2032-01-01T00:01:00.000Z");
    expect((await json<AdminKeyBody>(await adminCall({ path: `/admin-keys/${created.id}` }))).status).toBe("expired");
  });

  it("lists newest first across pages; revoked keys only with include_revoked=true", async () => {
    const minted: NewAdminKeyBody[] = [];
    for (let i = 0; i < 5; i++) minted.push(await mintAdminKey(["metrics"]));
    const [first, second, third, fourth, fifth] = minted.map((k) => k.id);
    await json(await adminCall({ method: "DELETE", path: `/admin-keys/${third}` }));

    const seen: string[] = [];
    let cursor: string | null = "";
    while (cursor !== null) {
      const page: AdminKeyList = await json<AdminKeyList>(
        await adminCall({ path: `/admin-keys?limit=2${cursor ? `&cursor=${cursor}` : ""}` }),
      );
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((k) => k.id));
      cursor = page.next_cursor;
    }
    const ours = seen.filter((id) => minted.some((k) => k.id === id));
    expect(ours).toEqual([fifth, fourth, second, first]);
    const all = await json<AdminKeyList>(await adminCall({ path: "/admin-keys?limit=100&include_revoked=true" }));
    expect(all.data.find((k) => k.id === third)?.status).toBe("revoked");
  });

  it("400 naming the field for a bad body; 404 for an unknown id", async () => {
    const cases: Array<[unknown, string]> = [
      [{ scopes: ["read"] }, "name"],
      [{ name: "k" }, "scopes"],
      [{ name: "k", scopes: [] }, "scopes"],
      [{ name: "k", scopes: ["root"] }, "scopes[0]"],
      [{ name: "k", scopes: ["read", "read"] }, "scopes"],
      [{ name: "k", scopes: ["read"], expires_at: "tomorrow" }, "expires_at"],
      [{ name: "k", scopes: ["read"], expires_at: "2020-01-01T00:00:00Z" }, "expires_at"],
      [{ name: "k", scopes: ["read"], key: "agk_admin_chosen" }, "(body)"], // unknown field: a caller cannot pick the secret
    ];
    for (const [body, param] of cases) {
      await expectError(await adminCall({ method: "POST", path: "/admin-keys", body }), 400, {
        type: "invalid_request_error",
        param,
      });
    }
    await expectError(await adminCall({ path: `/admin-keys/${crypto.randomUUID()}` }), 404, {
      code: "admin_key_not_found",
    });
  });
});

describe("admin keys and gateway keys never stand in for each other", () => {
  it("a gateway key is refused by the admin API and /metrics (401)", async () => {
    const gatewayKey = await createKey();
    for (const path of ["/admin/configs", "/metrics"]) {
      await expectError(await callAs(gatewayKey.key, "GET", path), 401, { code: "invalid_admin_token" });
    }
  });

  it("an admin key is refused on /v1 (401), with or without passthrough, and never reaches a provider", async () => {
    const adminKey = await mintAdminKey(["admin"]);
    const seen = fakeOpenAI();
    const body = { model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] };
    for (const mode of ["true", "false"]) {
      for (const headers of [
        bearer(adminKey.key),
        { "x-portkey-api-key": adminKey.key, "x-portkey-provider": "openai", ...bearer("sk-provider") },
      ]) {
        const res = await withEnv(
          { PASSTHROUGH_MODE: mode },
          { headers: { "x-portkey-provider": "openai", ...headers }, body },
        );
        const error = await expectError(res, 401, { code: "invalid_api_key" });
        expect(error.message).toMatch(/admin API key \(agk_admin_\.\.\.\) is not a gateway API key/);
      }
    }
    expect(seen).toEqual([]);
    expect(ADMIN_TOKEN).not.toMatch(/^agk_admin_/); // the test token is the plain kind
  });
});
