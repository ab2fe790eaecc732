import { GatewayError } from "../errors";
import { fromBase64, toBase64 } from "../lib/encoding";
import type { VaultKey, VaultKeys } from "./keys";

/** What D1 stores for one secret. */
export interface Sealed {
  ciphertext: string;
  iv: string;
  keyId: string;
}

const IV_BYTES = 12; // 96 bits, the size GCM is designed for; random per encryption, never reused with a key.
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * AES-256-GCM with a fresh random IV. `boundTo` (the virtual key's row id) is authenticated but not stored in the
 * ciphertext: decrypting with any other id fails, so a ciphertext copied onto another row is useless.
 */
export async function seal(key: VaultKey, plaintext: string, boundTo: string): Promise<Sealed> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const ciphertext = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: encoder.encode(boundTo) },
    key.key,
    encoder.encode(plaintext),
  );
  return { ciphertext: toBase64(new Uint8Array(ciphertext)), iv: toBase64(iv), keyId: key.id };
}

/** The key that can open a row, or a 503 saying which secret is missing (an operator problem, not the caller's). */
export function keyFor(keys: VaultKeys, keyId: string, what: string): VaultKey {
  if (keys.current.id === keyId) return keys.current;
  if (keys.previous?.id === keyId) return keys.previous;
  const known = [
    `VAULT_KEY is ${keys.current.id}`,
    keys.previous ? `VAULT_KEY_PREVIOUS is ${keys.previous.id}` : "VAULT_KEY_PREVIOUS is unset",
  ];
  throw new GatewayError(
    503,
    `${what} was encrypted under vault key ${keyId}, which is not configured (${known.join(", ")})`,
    {
      type: "api_error",
      code: "vault_key_missing",
    },
  );
}

export async function open(keys: VaultKeys, sealed: Sealed, boundTo: string, what: string): Promise<string> {
  const key = keyFor(keys, sealed.keyId, what);
  try {
    const plaintext = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: fromBase64(sealed.iv), additionalData: encoder.encode(boundTo) },
      key.key,
      fromBase64(sealed.ciphertext),
    );
    return decoder.decode(plaintext);
  } catch {
    // Tampered or corrupted row (or moved to another id): never fall back to anything.
    throw new GatewayError(503, `${what} could not be decrypted (the stored ciphertext fails authentication)`, {
      type: "api_error",
      code: "vault_decrypt_failed",
    });
  }
}
