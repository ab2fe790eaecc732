import type { Sealed } from "../vault/cipher";

/**
 * How a saved config stores an inline credential (api_key...): in place of the string, an envelope
 * `{"$vault": "v1:<vault key id>:<base64 iv>:<base64 ciphertext>", "hint": "****abcd"}`. The rest of the config
 * stays readable JSON; the hint is the mask the admin API shows, so a GET never needs to decrypt anything.
 */
export const VAULT_FIELD = "$vault";
const FORMAT = "v1";

export interface SealedSecret {
  $vault: string;
  hint: string;
}

/** Anything with a `$vault` field, well-formed or not: such a value is never a usable plaintext credential. */
export function isSealedSecret(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && VAULT_FIELD in value;
}

export function toEnvelope(sealed: Sealed, hint: string): SealedSecret {
  return { $vault: `${FORMAT}:${sealed.keyId}:${sealed.iv}:${sealed.ciphertext}`, hint };
}

/** The sealed parts of an envelope, or null when it is not one this version can read. */
export function fromEnvelope(envelope: Record<string, unknown>): Sealed | null {
  const text = envelope[VAULT_FIELD];
  if (typeof text !== "string") return null;
  const [format, keyId, iv, ciphertext, ...rest] = text.split(":");
  if (format !== FORMAT || !keyId || !iv || !ciphertext || rest.length > 0) return null;
  return { keyId, iv, ciphertext };
}
