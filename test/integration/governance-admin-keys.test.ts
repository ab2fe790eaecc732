import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/lib/encoding";
import { adminCall, createConfig, expectError, json, type ListBody } from "./admin-helpers";
import { createKey, unique, type KeyBody, type NewKeyBody } from "./governance-helpers";

interface AuditRaw {
  actor: string;
  action: string;
  resource_type: string;
  resource_id: string;
  details: string;
}

const auditOf = async (id: string) =>
  (await env.DB.prepare("SELECT * FROM audit_log WHERE resource_id = ? ORDER BY at, rowid").bind(id).all<AuditRaw>())
    .results;

describe("gateway key lifecycle through the admin API", () => {
  it("create shows the secret once; D1 keeps only its SHA-256 and a prefix", async () => {
    const created = await createKey({
      user: "alice",
      team: "search",
      metadata: { env: "prod" },
      allowed_models: ["gpt-4o-mini", "claude-*"],
      allowed_providers: ["openai", "anthropic"],
      rpm: 60,
      tpm: 100_000,
      budget_usd: 25,
      budget_period: "monthly",
      log_bodies: false,
    });
    expect(created.key).toMatch(/^pk-gw-[A-Za-z0-9_-]{43}$/);
    expect(created).toMatchObject({
      object: "gateway_key",
      status: "active",
      key_prefix: created.key.slice(0, 12),
      user: "alice",
      team: "search",
      rpm: 60,
      budget_usd: 25,
      budget_period: "monthly",
    });

    const fetched = await json<KeyBody>(await adminCall({ path: `/keys/${created.id}` }));
    expect(fetched).not.toHaveProperty("key");
    expect(JSON.stringify(fetched)).not.toContain(created.key);

    const row = await env.DB.prepare("SELECT * FROM gateway_keys WHERE id = ?")
      .bind(created.id)
      .first<Record<string, unknown>>();
    expect(row?.key_hash).toBe(await sha256Hex(created.key));
    expect(JSON.stringify(row)).not.toContain(created.key);
    expect(JSON.stringify(row)).not.toContain(created.key.slice(12)); // not even the secret part
  });

  it("update, disable, enable, rotate and delete, each with an audit row that holds no secret", async () => {
    const created = await createKey();
    const id = created.id;
    const patched = await json<KeyBody>(
      await adminCall({
        method: "PATCH",
        path: `/keys/${id}`,
        body: { rpm: 5, user: null, allowed_models: ["gpt-4o"] },
      }),
    );
    expect(patched).toMatchObject({ rpm: 5, user: null, allowed_models: ["gpt-4o"] });
    expect((await json<KeyBody>(await adminCall({ method: "POST", path: `/keys/${id}/disable` }))).status).toBe(
      "disabled",
    );
    expect((await json<KeyBody>(await adminCall({ method: "POST", path: `/keys/${id}/enable` }))).status).toBe(
      "active",
    );
    const rotated = await json<NewKeyBody>(await adminCall({ method: "POST", path: `/keys/${id}/rotate` }));
    expect(rotated.key_prefix).toBe(rotated.key.slice(0, 12));
    expect(rotated.rotated_at).not.toBeNull();
    expect((await json<KeyBody>(await adminCall({ method: "DELETE", path: `/keys/${id}` }))).status).toBe("deleted");
    await expectError(await adminCall({ method: "PATCH", path: `/keys/${id}`, body: { rpm: 1 } }), 409, {
      code: "gateway_key_deleted",
    });

    const audit = await auditOf(id);
    expect(audit.map((a) => a.action)).toEqual(["create", "update", "disable", "enable", "rotate", "delete"]);
    expect(audit.every((a) => a.actor.startsWith("admin:") && a.resource_type === "gateway_key")).toBe(true);
    expect(JSON.parse(audit[1]?.details ?? "{}")).toEqual({ fields: "allowed_models,rpm,user" });
    const text = JSON.stringify(audit);
    for (const secret of [created.key, rotated.key]) expect(text).not.toContain(secret);
  });

  it("lists newest first with cursor pagination; deleted keys only on request", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await createKey()).id);
    const first = await json<ListBody<KeyBody>>(await adminCall({ path: "/keys?limit=2" }));
    expect(first.data.map((k) => k.id)).toEqual([ids[2], ids[1]]);
    expect(first.next_cursor).not.toBeNull();
    const second = await json<ListBody<KeyBody>>(
      await adminCall({ path: `/keys?limit=2&cursor=${first.next_cursor}` }),
    );
    expect(second.data[0]?.id).toBe(ids[0]);
    expect(second.data.every((k) => !("key" in k))).toBe(true);
    await json(await adminCall({ method: "DELETE", path: `/keys/${ids[2]}` }));
    const live = await json<ListBody<KeyBody>>(await adminCall({ path: "/keys?limit=1" }));
    expect(live.data[0]?.id).toBe(ids[1]);
    const all = await json<ListBody<KeyBody>>(await adminCall({ path: "/keys?limit=1&include_deleted=true" }));
    expect(all.data[0]?.id).toBe(ids[2]);
  });

  it("default configs: a saved config by slug, or inline without credentials", async () => {
    const slug = unique("cfg");
    await createConfig(slug);
    expect((await createKey({ default_config: slug })).default_config).toBe(slug);
    const inline = { virtual_key: "openai-prod", override_params: { model: "gpt-4o-mini" } };
    expect((await createKey({ default_config: inline })).default_config).toEqual(inline);
  });
});

describe("malformed admin bodies: 400 naming the field", () => {
  const cases: [string, unknown, string][] = [
    ["missing name", {}, "name"],
    ["negative rpm", { name: "k", rpm: -1 }, "rpm"],
    ["fractional tpm", { name: "k", tpm: 1.5 }, "tpm"],
    ["bad budget period", { name: "k", budget_usd: 5, budget_period: "yearly" }, "budget_period"],
    ["budget over the bound", { name: "k", budget_usd: 2_000_000 }, "budget_usd"],
    ["empty allowlist", { name: "k", allowed_models: [] }, "allowed_models"],
    ["unknown provider", { name: "k", allowed_providers: ["nope"] }, "allowed_providers[0]"],
    ["expiry not a date", { name: "k", expires_at: "tomorrow" }, "expires_at"],
    ["expiry in the past", { name: "k", expires_at: "2020-01-01T00:00:00Z" }, "expires_at"],
    ["metadata not strings", { name: "k", metadata: { a: 1 } }, "metadata.a"],
    ["unknown saved config", { name: "k", default_config: "no-such-config" }, "default_config"],
    [
      "inline config with a credential",
      { name: "k", default_config: { provider: "openai", api_key: "sk-x" } },
      "default_config.api_key",
    ],
    ["invalid inline config", { name: "k", default_config: { provider: "nope" } }, "default_config"],
  ];
  for (const [name, body, param] of cases) {
    it(name, async () => {
      const error = await expectError(await adminCall({ method: "POST", path: "/keys", body }), 400);
      expect(error.param).toBe(param);
      expect(error.message.startsWith(param)).toBe(true);
    });
  }

  it("unknown fields (reported on the body, as for configs)", async () => {
    const error = await expectError(
      await adminCall({ method: "POST", path: "/keys", body: { name: "k", rpmm: 1 } }),
      400,
      { param: "(body)" },
    );
    expect(error.message).toContain("rpmm");
  });

  it("an empty PATCH, a bad cursor, an unknown key", async () => {
    const { id } = await createKey();
    await expectError(await adminCall({ method: "PATCH", path: `/keys/${id}`, body: {} }), 400);
    await expectError(await adminCall({ path: "/keys?cursor=nope" }), 400, { code: "invalid_cursor" });
    await expectError(await adminCall({ path: "/keys/00000000-0000-4000-8000-000000000000" }), 404, {
      code: "gateway_key_not_found",
    });
  });
});

describe("admin auth on the governance routes", () => {
  it("401 without or with a wrong admin token, before anything else", async () => {
    for (const path of ["/keys", "/virtual-keys", "/keys/x/usage", "/virtual-keys/re-encrypt"]) {
      await expectError(await adminCall({ path, token: null }), 401, { code: "missing_admin_token" });
      await expectError(await adminCall({ method: "POST", path, token: "wrong", body: {} }), 401, {
        code: "invalid_admin_token",
      });
    }
  });
});
