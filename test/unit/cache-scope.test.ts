import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/cache/canonical";
import { scopeId, tenantOf } from "../../src/cache/scope";
import { emptyOutcome, type AppContext, type GovernanceOutcome } from "../../src/context";
import { setCaller } from "../../src/governance/caller";
import type { GatewayKeyRecord } from "../../src/governance/records";

/** Just the part of a Hono context tenantOf reads: the request (governance's caller) and the outcome's governance part. */
function context(governance: GovernanceOutcome = {}, key?: Pick<GatewayKeyRecord, "id" | "team">): AppContext {
  const outcome = { ...emptyOutcome(), governance };
  const vars: Record<string, unknown> = { outcome };
  // `set` too: governance keeps the caller in a Hono variable (setCaller).
  const set = (name: string, value: unknown) => void (vars[name] = value);
  const c = {
    req: { raw: new Request("http://gateway.test/v1/chat/completions") },
    var: vars,
    set,
  } as unknown as AppContext;
  if (key) setCaller(c, { key: key as GatewayKeyRecord, fromAuthorization: false });
  return c;
}

/** The documented derivation, computed independently: changing it would orphan every passthrough entry. */
async function expectedHmacScope(secret: string, tenant: string): Promise<string> {
  const encoder = new TextEncoder();
  const importKey = (bytes: BufferSource) =>
    crypto.subtle.importKey("raw", bytes, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const derived = await crypto.subtle.sign(
    "HMAC",
    await importKey(encoder.encode(secret)),
    encoder.encode("ai-gateway/cache-scope/v1"),
  );
  const mac = await crypto.subtle.sign("HMAC", await importKey(derived), encoder.encode(`scope:${tenant}`));
  return Array.from(new Uint8Array(mac), (b) => b.toString(16).padStart(2, "0"))
    .join("")
    .slice(0, 32);
}

describe("cache tenant", () => {
  const target = { provider: "openai" as const, apiKey: "sk-1" };

  it("prefers the gateway key's team, then the gateway key, then the provider credential", () => {
    expect(tenantOf(context({ gatewayKeyId: "gk_1" }, { id: "gk_1", team: "research" }), target)).toEqual({
      id: "team:research",
      credential: false,
    });
    expect(tenantOf(context({ gatewayKeyId: "gk_1" }, { id: "gk_1", team: null }), target)).toEqual({
      id: "key:gk_1",
      credential: false,
    });
    expect(tenantOf(context({ gatewayKeyId: "gk_2" }), target)).toEqual({ id: "key:gk_2", credential: false });
    expect(tenantOf(context(), target)).toEqual({ id: "credential:openai:sk-1", credential: true });
    expect(tenantOf(context(), { provider: "ollama" })).toEqual({ id: "anonymous", credential: false });
  });

  it("names a credential's scope by an HMAC keyed by a server secret, never by a hash anyone can compute", async () => {
    const credential = { id: "credential:openai:sk-1", credential: true };
    const plain = (await sha256Hex(`scope:${credential.id}`)).slice(0, 32);
    const vault = { VAULT_KEY: "vault-secret-of-this-deployment", ADMIN_TOKEN: "admin-token" };
    const scope = await scopeId(credential, vault);
    expect(scope).toMatch(/^[0-9a-f]{32}$/);
    expect(scope).not.toBe(plain);
    // Stable: the same secret gives the same scope in any isolate (VAULT_KEY first, else ADMIN_TOKEN).
    expect(scope).toBe(await expectedHmacScope(vault.VAULT_KEY, credential.id));
    expect(await scopeId(credential, { ADMIN_TOKEN: "admin-token" })).toBe(
      await expectedHmacScope("admin-token", credential.id),
    );
    expect(await scopeId({ id: "credential:openai:sk-2", credential: true }, vault)).not.toBe(scope);
    // Without any server secret, the documented fallback: plain SHA-256.
    expect(await scopeId(credential, {})).toBe(plain);
  });

  it("names gateway-key and team scopes by SHA-256, so they survive a secret's rotation", async () => {
    const key = { id: "key:gk_1", credential: false };
    expect(await scopeId(key, { VAULT_KEY: "one" })).toBe((await sha256Hex("scope:key:gk_1")).slice(0, 32));
    expect(await scopeId(key, { VAULT_KEY: "two" })).toBe(await scopeId(key, {}));
    expect(await scopeId(key, {})).not.toBe(await scopeId({ id: "team:gk_1", credential: false }, {}));
  });
});
