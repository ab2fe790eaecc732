import { describe, expect, it } from "vitest";
import { GatewayError } from "../../src/errors";
import { generateGatewayKey, hashGatewayKey, looksLikeGatewayKey } from "../../src/governance/keys/format";
import { open, seal } from "../../src/vault/cipher";
import { parseCredential, secretHint } from "../../src/vault/credential";
import { vaultKeys } from "../../src/vault/keys";

const KEY_A = "v9BBcY5xOB7GjndDq9ASnRoJJundmxouB4/JBO4i488=";
const KEY_B = "VKAie_sJ8OMW3B-uA3-XH8v4I0OeeAfWY45fx388eD0"; // URL-safe, unpadded: accepted too
const env = (vars: Partial<Env>) => vars as Env;

async function rejection(promise: Promise<unknown>): Promise<GatewayError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GatewayError);
  return error as GatewayError;
}

describe("vault", () => {
  it("seals with AES-GCM under a fresh IV each time and opens it again", async () => {
    const keys = await vaultKeys(env({ VAULT_KEY: KEY_A }));
    const a = await seal(keys.current, "sk-secret-value-1234", "row-1");
    const b = await seal(keys.current, "sk-secret-value-1234", "row-1");
    expect(a.iv).not.toBe(b.iv);
    expect(a.ciphertext).not.toBe(b.ciphertext);
    expect(a.ciphertext).not.toContain("sk-secret");
    expect(atob(a.iv)).toHaveLength(12);
    expect(a.keyId).toMatch(/^k[0-9a-f]{12}$/);
    expect(await open(keys, a, "row-1", "test")).toBe("sk-secret-value-1234");
  });

  it("binds the ciphertext to its row: moved to another id it does not open", async () => {
    const keys = await vaultKeys(env({ VAULT_KEY: KEY_A }));
    const sealed = await seal(keys.current, "secret", "row-1");
    expect((await rejection(open(keys, sealed, "row-2", "test"))).code).toBe("vault_decrypt_failed");
    const tampered = {
      ...sealed,
      ciphertext: btoa(
        String.fromCharCode(
          ...atob(sealed.ciphertext)
            .split("")
            .map((c, i) => (i === 0 ? c.charCodeAt(0) ^ 1 : c.charCodeAt(0))),
        ),
      ),
    };
    expect((await rejection(open(keys, tampered, "row-1", "test"))).status).toBe(503);
  });

  it("records the key id, so rotation can decrypt with VAULT_KEY_PREVIOUS and says which key is missing", async () => {
    const old = await vaultKeys(env({ VAULT_KEY: KEY_A }));
    const sealed = await seal(old.current, "secret", "row-1");
    const rotated = await vaultKeys(env({ VAULT_KEY: KEY_B, VAULT_KEY_PREVIOUS: KEY_A }));
    expect(rotated.current.id).not.toBe(old.current.id);
    expect(rotated.previous?.id).toBe(old.current.id);
    expect(await open(rotated, sealed, "row-1", "test")).toBe("secret");
    const error = await rejection(open(await vaultKeys(env({ VAULT_KEY: KEY_B })), sealed, "row-1", 'virtual key "x"'));
    expect(error.code).toBe("vault_key_missing");
    expect(error.message).toContain(old.current.id);
  });

  it("refuses to run without a well-formed VAULT_KEY (503, never a plaintext fallback)", async () => {
    expect((await rejection(vaultKeys(env({})))).code).toBe("vault_unavailable");
    expect((await rejection(vaultKeys(env({ VAULT_KEY: "c2hvcnQ=" })))).code).toBe("vault_key_invalid");
    expect((await rejection(vaultKeys(env({ VAULT_KEY: "not base64 !!" })))).code).toBe("vault_key_invalid");
  });

  it("masks hints and parses stored credentials strictly", () => {
    expect(secretHint("sk-proj-abcdefghijklmnop1234")).toBe("****1234");
    expect(secretHint("short-key")).toBe("****");
    expect(parseCredential('{"api_key":"k","custom_host":"https://h","junk":1}')).toEqual({
      api_key: "k",
      custom_host: "https://h",
    });
    expect(() => parseCredential('{"custom_host":"https://h"}')).toThrow();
  });
});

describe("gateway key format", () => {
  it("is pk-gw- plus 256 random bits, stored as a SHA-256 hash with a short visible prefix", async () => {
    const key = await generateGatewayKey();
    expect(key.secret).toMatch(/^pk-gw-[A-Za-z0-9_-]{43}$/);
    expect(key.prefix).toBe(key.secret.slice(0, 12));
    expect(key.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(key.hash).toBe(await hashGatewayKey(key.secret));
    expect((await generateGatewayKey()).secret).not.toBe(key.secret);
    expect(looksLikeGatewayKey(key.secret)).toBe(true);
    expect(looksLikeGatewayKey("sk-proj-123")).toBe(false);
  });
});
