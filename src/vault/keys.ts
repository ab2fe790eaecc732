import { GatewayError } from "../errors";
import { fromBase64, toHex } from "../lib/encoding";

/**
 * The vault's encryption keys: Worker secrets, never in D1.
 *
 * - VAULT_KEY: base64 of 32 random bytes (AES-256-GCM), e.g. `openssl rand -base64 32`. Encrypts every new or
 *   rotated virtual key, and decrypts rows it encrypted.
 * - VAULT_KEY_PREVIOUS (only while rotating VAULT_KEY): the key being retired, to decrypt rows it encrypted until
 *   POST /admin/virtual-keys/re-encrypt has moved them all to VAULT_KEY.
 *
 * Rows record which key encrypted them by its id: `k` + 12 hex digits of a domain-separated SHA-256 of the key
 * bytes. The id tells keys apart without revealing anything usable (48 bits of a hash of 256 random bits).
 */
export interface VaultKey {
  id: string;
  key: CryptoKey;
}

export interface VaultKeys {
  current: VaultKey;
  previous: VaultKey | null;
}

const KEY_BYTES = 32;
const ID_DOMAIN = new TextEncoder().encode("ai-gateway vault key id v1\0");

const vaultError = (message: string, code: string) => new GatewayError(503, message, { type: "api_error", code });

async function importKey(name: string, raw: string): Promise<VaultKey> {
  let bytes: Uint8Array;
  try {
    bytes = fromBase64(raw);
  } catch {
    bytes = new Uint8Array();
  }
  if (bytes.byteLength !== KEY_BYTES) {
    throw vaultError(
      `${name} must be the base64 encoding of ${KEY_BYTES} random bytes (openssl rand -base64 32)`,
      "vault_key_invalid",
    );
  }
  const material = new Uint8Array(ID_DOMAIN.byteLength + bytes.byteLength);
  material.set(ID_DOMAIN);
  material.set(bytes, ID_DOMAIN.byteLength);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", material));
  const key = await crypto.subtle.importKey("raw", bytes, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
  return { id: `k${toHex(digest).slice(0, 12)}`, key };
}

// Imported once per isolate per secret value (a redeploy with a new secret gets a new isolate anyway).
const imported = new Map<string, Promise<VaultKey>>();

function cachedImport(name: string, raw: string): Promise<VaultKey> {
  const cacheKey = `${name}\0${raw}`;
  let key = imported.get(cacheKey);
  if (!key) {
    key = importKey(name, raw);
    imported.set(cacheKey, key);
    key.catch(() => imported.delete(cacheKey));
  }
  return key;
}

/** The configured keys; 503 when VAULT_KEY is unset (virtual keys are then unavailable, never stored in clear). */
export async function vaultKeys(env: Env): Promise<VaultKeys> {
  const current = env.VAULT_KEY?.trim();
  if (!current) {
    throw vaultError(
      "the virtual key vault is disabled: set the VAULT_KEY secret (wrangler secret put VAULT_KEY)",
      "vault_unavailable",
    );
  }
  const previous = env.VAULT_KEY_PREVIOUS?.trim();
  const [currentKey, previousKey] = await Promise.all([
    cachedImport("VAULT_KEY", current),
    previous ? cachedImport("VAULT_KEY_PREVIOUS", previous) : Promise.resolve(null),
  ]);
  return { current: currentKey, previous: previousKey };
}
