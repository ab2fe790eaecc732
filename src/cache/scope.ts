import type { ResolvedTarget } from "../../providers/types";
import type { AppContext } from "../context";
import { callerOf } from "../governance/caller";
import { sha256Hex } from "./canonical";

export interface Tenant {
  id: string;
  /** The id is a provider credential: its scope must not be computable by someone who only knows the key. */
  credential: boolean;
}

/**
 * The tenant an entry belongs to, most shared first: the gateway key's team, else the gateway key (both from
 * governance's caller), else (passthrough mode, no gateway key) the provider credential itself, so two different
 * API keys never share an entry. A target without any credential (a local Ollama) is "anonymous".
 */
export function tenantOf(c: AppContext, target: ResolvedTarget): Tenant {
  const key = callerOf(c)?.key;
  if (key?.team) return { id: `team:${key.team}`, credential: false };
  const keyId = key?.id ?? c.var.outcome.governance.gatewayKeyId;
  if (keyId) return { id: `key:${keyId}`, credential: false };
  if (target.apiKey) return { id: `credential:${target.provider}:${target.apiKey}`, credential: true };
  return { id: "anonymous", credential: false };
}

const encoder = new TextEncoder();
const hex = (bytes: ArrayBuffer) =>
  Array.from(new Uint8Array(bytes), (byte) => byte.toString(16).padStart(2, "0")).join("");
/** Derivation label: the scope key is never the server secret itself, which keeps its other uses apart. */
const DERIVATION = "ai-gateway/cache-scope/v1";

type SecretEnv = Pick<Env, "VAULT_KEY" | "ADMIN_TOKEN">;

/** Per isolate: the derived key of the current secret (one import and one HMAC per isolate, not per request). */
let derived: { secret: string; key: Promise<CryptoKey> } | null = null;

const hmacKey = (bytes: BufferSource) =>
  crypto.subtle.importKey("raw", bytes, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);

function scopeKey(env: SecretEnv): Promise<CryptoKey> | null {
  // VAULT_KEY first (32 random bytes), else ADMIN_TOKEN: one of them is set wherever the gateway is administered.
  const secret = env.VAULT_KEY || env.ADMIN_TOKEN;
  if (!secret) return null;
  if (derived?.secret !== secret) {
    const key = hmacKey(encoder.encode(secret))
      .then((root) => crypto.subtle.sign("HMAC", root, encoder.encode(DERIVATION)))
      .then(hmacKey);
    derived = { secret, key };
  }
  return derived.key;
}

/**
 * The scope id in KV keys (128 bits, hex). Gateway-key and team tenants: SHA-256 of the tenant (ids are not
 * secrets, and their scopes survive any secret rotation). Credential tenants (passthrough): an HMAC keyed by a
 * server secret, so a key name can neither be linked to a provider key by hashing candidates nor recomputed
 * elsewhere; the same in every isolate of a deployment. Without VAULT_KEY and ADMIN_TOKEN it falls back to
 * SHA-256 (docs/cache.md: Scope).
 */
export async function scopeId(tenant: Tenant, env: SecretEnv): Promise<string> {
  const message = `scope:${tenant.id}`;
  const key = tenant.credential ? scopeKey(env) : null;
  const digest = key
    ? hex(await crypto.subtle.sign("HMAC", await key, encoder.encode(message)))
    : await sha256Hex(message);
  return digest.slice(0, 32);
}
