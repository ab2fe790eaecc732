import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { clearSavedConfigCache } from "../../src/configs/store";
import { ADMIN_TOKEN, adminCall, createConfig, expectError, json, uniqueSlug, type ConfigBody } from "./admin-helpers";
import { gateway, useFakeUpstreams } from "./harness";
import { chat, errorOf, fakeOpenAI, withEnv } from "./governance-helpers";

/** Inline provider keys of saved configs are sealed with the vault key (VAULT_KEY) before they reach D1. */

useFakeUpstreams();
afterEach(() => clearSavedConfigCache()); // tests edit D1 rows directly; the isolate cache must not hide that

const OLD = "v9BBcY5xOB7GjndDq9ASnRoJJundmxouB4/JBO4i488="; // vitest.config.ts
const NEW = "Oq9m7J0Xk3nqf0iJbWm0vH3a4o7Xh1p0Yb8G2e5c6dA=";
const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

const secretOf = (name: string) => `sk-PLAINTEXT-${name}-${crypto.randomUUID()}`;
const twoTargets = (first: string, second: string) => ({
  strategy: { mode: "fallback" },
  targets: [
    { provider: "openai", api_key: first },
    {
      strategy: { mode: "single" },
      targets: [{ provider: "openai", api_key: second, override_params: { model: "gpt-4o" } }],
    },
  ],
});

interface VersionRow {
  config_id: string;
  version: number;
  config: string;
}
const versionRows = async (configId: string) =>
  (
    await env.DB.prepare("SELECT config_id, version, config FROM config_versions WHERE config_id = ? ORDER BY version")
      .bind(configId)
      .all<VersionRow>()
  ).results;
const auditText = async (configId: string) =>
  JSON.stringify((await env.DB.prepare("SELECT * FROM audit_log WHERE resource_id = ?").bind(configId).all()).results);
const setStored = (configId: string, version: number, config: string) =>
  env.DB.prepare("UPDATE config_versions SET config = ? WHERE config_id = ? AND version = ?")
    .bind(config, configId, version)
    .run();

const useConfig = (slug: string, vars: Partial<Env> = {}) =>
  withEnv(vars, { headers: { "x-portkey-config": slug }, body: chat() });

async function reencryptAll(
  vars: Partial<Env>,
): Promise<{ reencrypted: number; configs: { reencrypted: number; remaining: number } }> {
  let total = 0;
  for (let round = 0; round < 20; round++) {
    const res = await withEnv(vars, { path: "/admin/virtual-keys/re-encrypt", headers: admin });
    const sweep = await json<{
      reencrypted: number;
      remaining: number;
      configs: { reencrypted: number; remaining: number };
    }>(res);
    total += sweep.configs.reencrypted;
    if (sweep.remaining === 0) return { ...sweep, configs: { ...sweep.configs, reencrypted: total } };
  }
  throw new Error("re-encrypt never finished");
}

describe("inline api_key of a saved config is encrypted at rest", () => {
  it("no D1 row (config_versions, audit_log) holds the key; GET masks it; a request still sends it", async () => {
    const first = secretOf("first");
    const second = secretOf("second");
    const slug = uniqueSlug("sealed");
    const created = await createConfig(slug, twoTargets(first, second));
    await json(
      await adminCall({ method: "PUT", path: `/configs/${slug}`, body: { config: twoTargets(second, first) } }),
    );

    const rows = await versionRows(created.id);
    expect(rows).toHaveLength(2);
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain("PLAINTEXT");
    const v1 = JSON.parse(rows[0]?.config ?? "{}") as { targets: { api_key: unknown }[] };
    expect(v1.targets[0]?.api_key).toEqual({
      $vault: expect.stringMatching(/^v1:k[0-9a-f]{12}:/),
      hint: `****${first.slice(-4)}`,
    });
    expect(await auditText(created.id)).not.toContain("PLAINTEXT");

    // The admin API shows the same mask as before encryption, on create, get and version reads.
    const masked = {
      strategy: { mode: "fallback" },
      targets: [{ provider: "openai", api_key: `****${first.slice(-4)}` }, expect.anything()],
    };
    expect(created.config).toMatchObject(masked);
    expect((await json<ConfigBody>(await adminCall({ path: `/configs/${slug}/versions/1` }))).config).toMatchObject(
      masked,
    );
    const latest = await json<ConfigBody>(await adminCall({ path: `/configs/${slug}` }));
    expect(JSON.stringify(latest)).not.toContain("PLAINTEXT");
    expect(JSON.stringify(latest)).not.toContain("$vault");

    const seen = fakeOpenAI();
    const res = await useConfig(slug);
    expect(res.status).toBe(200);
    expect(seen.map((r) => r.headers.authorization)).toEqual([`Bearer ${second}`]);
  });

  it("without VAULT_KEY: 503 naming the field, VAULT_KEY and virtual keys; nothing stored; configs without keys still save", async () => {
    const slug = uniqueSlug("novault");
    const post = (config: unknown, s = slug) =>
      withEnv({ VAULT_KEY: undefined }, { path: "/admin/configs", headers: admin, body: { slug: s, config } });
    const error = await errorOf(await post(twoTargets("sk-a", secretOf("x"))), 503);
    expect(error).toMatchObject({ code: "vault_unavailable", param: "config.targets[0].api_key" });
    expect(error.message).toContain("VAULT_KEY");
    expect(error.message).toContain("virtual_key");
    expect(await env.DB.prepare("SELECT id FROM configs WHERE slug = ?").bind(slug).first()).toBeNull();

    expect((await post({ provider: "openai", virtual_key: "openai-prod" })).status).toBe(201);
    const put = await withEnv(
      { VAULT_KEY: undefined },
      {
        method: "PUT",
        path: `/admin/configs/${slug}`,
        headers: admin,
        body: { config: { provider: "openai", api_key: "sk-b" } },
      },
    );
    expect(await errorOf(put, 503)).toMatchObject({ code: "vault_unavailable", param: "config.api_key" });
  });

  it("refuses a vault envelope sent as a credential (400): ciphertexts are only made by the gateway", async () => {
    const envelope = { $vault: "v1:k000000000000:AAAA:AAAA", hint: "****" };
    const res = await adminCall({
      method: "POST",
      path: "/configs",
      body: { slug: uniqueSlug("env"), config: { provider: "openai", override_params: { api_key: envelope } } },
    });
    await expectError(res, 400, { param: "config.override_params.api_key", code: "invalid_config" });
  });
});

describe("tampered or moved ciphertext fails closed", () => {
  it("a modified ciphertext: 503 vault_decrypt_failed, nothing sent upstream", async () => {
    const slug = uniqueSlug("tamper");
    const created = await createConfig(slug, { provider: "openai", api_key: secretOf("t") });
    const [row] = await versionRows(created.id);
    const config = JSON.parse(row?.config ?? "{}") as { api_key: { $vault: string } };
    const flipped =
      config.api_key.$vault.slice(0, -6) +
      (config.api_key.$vault.slice(-6, -5) === "A" ? "B" : "A") +
      config.api_key.$vault.slice(-5);
    await setStored(created.id, 1, JSON.stringify({ ...config, api_key: { ...config.api_key, $vault: flipped } }));

    const seen = fakeOpenAI();
    expect(await errorOf(await useConfig(slug), 503)).toMatchObject({ code: "vault_decrypt_failed" });
    expect(seen).toHaveLength(0);
    await setStored(created.id, 1, row?.config ?? ""); // leave the file's rows re-encryptable
  });

  it("a ciphertext moved to another config, another version or another field: 503, nothing sent upstream", async () => {
    const a = await createConfig(uniqueSlug("from"), twoTargets(secretOf("a1"), secretOf("a2")));
    const b = await createConfig(uniqueSlug("to"), twoTargets(secretOf("b1"), secretOf("b2")));
    await json(
      await adminCall({
        method: "PUT",
        path: `/configs/${b.slug}`,
        body: { config: twoTargets(secretOf("b3"), secretOf("b4")) },
      }),
    );
    const [aRow] = await versionRows(a.id);
    const [bV1, bV2] = await versionRows(b.id);
    const stolen = (JSON.parse(aRow?.config ?? "{}") as { targets: { api_key: unknown }[] }).targets[0]?.api_key;
    const seen = fakeOpenAI();

    // Config a's key in config b (same path).
    await setStored(
      b.id,
      2,
      (bV2?.config ?? "").replace(/\{"\$vault":"[^"]+","hint":"[^"]+"\}/, JSON.stringify(stolen)),
    );
    expect(await errorOf(await useConfig(b.slug), 503)).toMatchObject({ code: "vault_decrypt_failed" });
    // Version 1's ciphertext in version 2 of the same config.
    clearSavedConfigCache();
    await setStored(b.id, 2, bV1?.config ?? "");
    expect(await errorOf(await useConfig(b.slug), 503)).toMatchObject({ code: "vault_decrypt_failed" });
    // The second target's ciphertext swapped into the first target's field.
    clearSavedConfigCache();
    const swapped = JSON.parse(bV2?.config ?? "{}") as {
      targets: [{ api_key: unknown }, { targets: [{ api_key: unknown }] }];
    };
    swapped.targets[0].api_key = swapped.targets[1].targets[0].api_key;
    await setStored(b.id, 2, JSON.stringify(swapped));
    expect(await errorOf(await useConfig(b.slug), 503)).toMatchObject({ code: "vault_decrypt_failed" });

    expect(seen).toHaveLength(0);
    await setStored(b.id, 2, bV2?.config ?? "");
  });
});

describe("rotating VAULT_KEY re-encrypts saved configs (POST /admin/virtual-keys/re-encrypt)", () => {
  it("moves every version to the new key; requests work during and after; the old key can then go", async () => {
    const key = secretOf("rotate");
    const slug = uniqueSlug("rotate");
    const created = await createConfig(slug, { provider: "openai", api_key: key });
    await json(
      await adminCall({
        method: "PUT",
        path: `/configs/${slug}`,
        body: { config: { provider: "openai", api_key: key, retry: { attempts: 1 } } },
      }),
    );
    const before = await versionRows(created.id);
    const seen = fakeOpenAI();

    const missing = await errorOf(await useConfig(slug, { VAULT_KEY: NEW }), 503);
    expect(missing.code).toBe("vault_key_missing");
    clearSavedConfigCache();

    const during = { VAULT_KEY: NEW, VAULT_KEY_PREVIOUS: OLD };
    expect((await useConfig(slug, during)).status).toBe(200);
    const sweep = await reencryptAll(during);
    expect(sweep.configs.reencrypted).toBeGreaterThanOrEqual(2);
    const after = await versionRows(created.id);
    expect(after.map((r) => r.config)).not.toEqual(before.map((r) => r.config));
    const keyIds = (rows: VersionRow[]) => rows.map((r) => /"\$vault":"v1:(k[0-9a-f]{12}):/.exec(r.config)?.[1]);
    expect(new Set(keyIds(after)).size).toBe(1);
    expect(keyIds(after)[0]).not.toBe(keyIds(before)[0]);
    expect(JSON.stringify(after)).not.toContain("PLAINTEXT");
    expect(await auditText(created.id)).toContain('"action":"reencrypt"');
    expect(await auditText(created.id)).not.toContain("PLAINTEXT");

    clearSavedConfigCache();
    expect((await useConfig(slug, { VAULT_KEY: NEW })).status).toBe(200);
    expect(seen.map((r) => r.headers.authorization)).toEqual([`Bearer ${key}`, `Bearer ${key}`]);

    await reencryptAll({ VAULT_KEY: OLD, VAULT_KEY_PREVIOUS: NEW }); // back under the test key for the other tests
  });

  it("rows written in plaintext by older versions stay usable and are sealed by the re-encrypt operation", async () => {
    const key = secretOf("legacy");
    const created = await createConfig(uniqueSlug("legacy"), { provider: "openai", virtual_key: "placeholder" });
    const legacy = JSON.stringify({ strategy: { mode: "fallback" }, targets: [{ provider: "openai", api_key: key }] });
    await setStored(created.id, 1, legacy); // what an older gateway stored
    const seen = fakeOpenAI();
    expect((await gateway({ headers: { "x-portkey-config": created.slug }, body: chat() })).status).toBe(200);
    expect((await json<ConfigBody>(await adminCall({ path: `/configs/${created.id}` }))).config).toMatchObject({
      targets: [{ api_key: `****${key.slice(-4)}` }],
    });

    expect((await reencryptAll({})).configs.reencrypted).toBeGreaterThanOrEqual(1);
    const [row] = await versionRows(created.id);
    expect(row?.config).not.toContain("PLAINTEXT");
    expect(row?.config).toContain('"$vault"');
    clearSavedConfigCache();
    expect((await gateway({ headers: { "x-portkey-config": created.slug }, body: chat() })).status).toBe(200);
    expect(seen.map((r) => r.headers.authorization)).toEqual([`Bearer ${key}`, `Bearer ${key}`]);
  });
});
