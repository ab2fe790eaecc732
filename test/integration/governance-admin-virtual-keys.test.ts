import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { clearKeyCaches } from "../../src/governance/store";
import { adminCall, ADMIN_TOKEN, expectError, json, type ListBody } from "./admin-helpers";
import { useFakeUpstreams } from "./harness";
import {
  bearer,
  chat,
  createKey,
  createVirtualKey,
  errorOf,
  fakeOpenAI,
  unique,
  withEnv,
  type VirtualKeyBody,
} from "./governance-helpers";

useFakeUpstreams();

const rowOf = (id: string) =>
  env.DB.prepare("SELECT * FROM virtual_keys WHERE id = ?").bind(id).first<Record<string, unknown>>();
const auditText = async (id: string) =>
  JSON.stringify((await env.DB.prepare("SELECT * FROM audit_log WHERE resource_id = ?").bind(id).all()).results);

describe("virtual key lifecycle", () => {
  it("stores the credential encrypted: no column of the row (or the audit log) holds it", async () => {
    const secret = "sk-proj-PLAINTEXT-must-never-be-stored-7777";
    const vk = await createVirtualKey({
      api_key: secret,
      custom_host: "https://vllm.internal.test/v1",
      provider: "custom",
      rpm: 10,
    });
    expect(vk).toMatchObject({
      object: "virtual_key",
      provider: "custom",
      status: "active",
      api_key_hint: "****7777",
      options: ["custom_host"],
      rpm: 10,
    });
    const { secret: _known, ...response } = vk; // the helper adds the secret it sent; the API response is the rest
    expect(JSON.stringify(response)).not.toContain("PLAINTEXT");
    const row = await rowOf(vk.id);
    expect(row?.vault_key_id).toMatch(/^k[0-9a-f]{12}$/);
    expect(String(row?.secret_ciphertext).length).toBeGreaterThan(secret.length);
    const rowText = JSON.stringify(row);
    expect(rowText).not.toContain("PLAINTEXT");
    expect(rowText).not.toContain("vllm.internal.test"); // the destination is sealed with the key
    expect(await auditText(vk.id)).not.toContain("PLAINTEXT");
  });

  it("get, list, patch, rotate, disable, enable, delete; the slug is free again after delete", async () => {
    const vk = await createVirtualKey({ name: "Prod OpenAI" });
    const before = await rowOf(vk.id);
    const got = await json<VirtualKeyBody>(await adminCall({ path: `/virtual-keys/${vk.slug}` }));
    expect(got).toMatchObject({ id: vk.id, name: "Prod OpenAI" });
    const page = await json<ListBody<VirtualKeyBody>>(await adminCall({ path: "/virtual-keys?limit=1" }));
    expect(page.data[0]?.id).toBe(vk.id);
    expect(page.next_cursor).not.toBeNull();

    const patched = await json<VirtualKeyBody>(
      await adminCall({
        method: "PATCH",
        path: `/virtual-keys/${vk.id}`,
        body: { budget_usd: 3, budget_period: "daily", allowed_models: ["gpt-4o-mini"] },
      }),
    );
    expect(patched).toMatchObject({ budget_usd: 3, budget_period: "daily", allowed_models: ["gpt-4o-mini"] });
    const patchSecret = await expectError(
      await adminCall({ method: "PATCH", path: `/virtual-keys/${vk.id}`, body: { api_key: "sk-new" } }),
      400,
      { param: "api_key" },
    );
    expect(patchSecret.message).toMatch(/rotate/);

    const rotated = await json<VirtualKeyBody>(
      await adminCall({
        method: "POST",
        path: `/virtual-keys/${vk.slug}/rotate`,
        body: { api_key: "sk-rotated-abcdefghijkl-9999" },
      }),
    );
    expect(rotated.api_key_hint).toBe("****9999");
    const after = await rowOf(vk.id);
    expect(after?.secret_iv).not.toBe(before?.secret_iv);
    expect(after?.secret_ciphertext).not.toBe(before?.secret_ciphertext);

    expect(
      (await json<VirtualKeyBody>(await adminCall({ method: "POST", path: `/virtual-keys/${vk.slug}/disable` })))
        .status,
    ).toBe("disabled");
    expect(
      (await json<VirtualKeyBody>(await adminCall({ method: "POST", path: `/virtual-keys/${vk.slug}/enable` }))).status,
    ).toBe("active");
    expect(
      (await json<VirtualKeyBody>(await adminCall({ method: "DELETE", path: `/virtual-keys/${vk.slug}` }))).status,
    ).toBe("deleted");
    const deleted = await rowOf(vk.id);
    expect(deleted).toMatchObject({ status: "deleted", secret_ciphertext: null, secret_iv: null });
    await expectError(await adminCall({ path: `/virtual-keys/${vk.slug}` }), 404);
    expect((await json<VirtualKeyBody>(await adminCall({ path: `/virtual-keys/${vk.id}` }))).status).toBe("deleted");
    const again = await createVirtualKey({ slug: vk.slug });
    expect(again.id).not.toBe(vk.id);

    const actions = (
      await env.DB.prepare("SELECT action FROM audit_log WHERE resource_id = ? ORDER BY at, rowid")
        .bind(vk.id)
        .all<{ action: string }>()
    ).results;
    expect(actions.map((a) => a.action)).toEqual(["create", "update", "rotate", "disable", "enable", "delete"]);
    expect(await auditText(vk.id)).not.toContain("sk-rotated");
  });

  it("validates provider options and slugs (400), duplicates (409)", async () => {
    const post = (body: Record<string, unknown>) =>
      adminCall({
        method: "POST",
        path: "/virtual-keys",
        body: { slug: unique("v"), provider: "openai", api_key: "sk-x", ...body },
      });
    await expectError(await post({ provider: "custom" }), 400, { param: "custom_host" });
    await expectError(await post({ provider: "azure-openai" }), 400, { param: "azure_resource_name" });
    await expectError(await post({ custom_host: "http://169.254.169.254/v1" }), 400, {
      param: "custom_host",
      code: "custom_host_not_allowed",
    });
    await expectError(await post({ azure_resource_name: "res" }), 400, { param: "azure_resource_name" });
    await expectError(await post({ provider: "nope" }), 400, { param: "provider" });
    await expectError(await post({ api_key: "" }), 400, { param: "api_key" });
    await expectError(await post({ slug: crypto.randomUUID() }), 400, { param: "slug" });
    const taken = await createVirtualKey();
    await expectError(await post({ slug: taken.slug }), 409, { code: "virtual_key_slug_taken" });
  });
});

describe("the vault key (VAULT_KEY) is a secret outside D1", () => {
  const OLD = "v9BBcY5xOB7GjndDq9ASnRoJJundmxouB4/JBO4i488="; // vitest.config.ts
  const NEW = "Oq9m7J0Xk3nqf0iJbWm0vH3a4o7Xh1p0Yb8G2e5c6dA=";
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

  it("without VAULT_KEY, creating a virtual key is a 503 and nothing is stored", async () => {
    const slug = unique("novault");
    const res = await withEnv(
      { VAULT_KEY: undefined },
      { path: "/admin/virtual-keys", headers: admin, body: { slug, provider: "openai", api_key: "sk-x" } },
    );
    expect(await errorOf(res, 503)).toMatchObject({ code: "vault_unavailable" });
    expect(await env.DB.prepare("SELECT id FROM virtual_keys WHERE slug = ?").bind(slug).first()).toBeNull();
  });

  it("rotation: decrypt with VAULT_KEY_PREVIOUS, re-encrypt under the new VAULT_KEY, then drop the old key", async () => {
    const seen = fakeOpenAI();
    const vk = await createVirtualKey();
    const { key } = await createKey();
    const oldKeyId = (await rowOf(vk.id))?.vault_key_id;
    const call = (vars: Partial<Env>) => withEnv(vars, { headers: bearer(key), body: chat(`@${vk.slug}/gpt-4o-mini`) });

    clearKeyCaches(); // the isolate cache would otherwise serve the credential decrypted under the old key
    const missing = await errorOf(await call({ VAULT_KEY: NEW }), 503);
    expect(missing.code).toBe("vault_key_missing");
    expect(missing.message).toContain(String(oldKeyId));

    const during = { VAULT_KEY: NEW, VAULT_KEY_PREVIOUS: OLD };
    clearKeyCaches();
    expect((await call(during)).status).toBe(200);
    let remaining = Infinity;
    while (remaining > 0) {
      const res = await withEnv(during, { path: "/admin/virtual-keys/re-encrypt", headers: admin });
      const sweep = (await res.json()) as { reencrypted: number; remaining: number; vault_key_id: string };
      expect(res.status).toBe(200);
      expect(sweep.vault_key_id).not.toBe(oldKeyId);
      remaining = sweep.remaining;
    }
    const row = await rowOf(vk.id);
    expect(row?.vault_key_id).not.toBe(oldKeyId);
    expect(await auditText(vk.id)).toContain("reencrypt");

    clearKeyCaches();
    expect((await call({ VAULT_KEY: NEW })).status).toBe(200);
    expect(seen.every((r) => r.headers.authorization === `Bearer ${vk.secret}`)).toBe(true);
    expect(seen).toHaveLength(2);

    // Put every row back under the test key, for the other tests of this file.
    let back = Infinity;
    while (back > 0)
      back = (
        (await (
          await withEnv(
            { VAULT_KEY: OLD, VAULT_KEY_PREVIOUS: NEW },
            { path: "/admin/virtual-keys/re-encrypt", headers: admin },
          )
        ).json()) as { remaining: number }
      ).remaining;
    clearKeyCaches();
  });
});
