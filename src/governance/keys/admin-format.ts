import { sha256Hex, toBase64Url } from "../encoding";

/**
 * Admin API keys: `agk_admin_` + 43 base64url characters (32 random bytes). The prefix differs from gateway keys'
 * `pk-gw-`, and neither is a prefix of the other, so each authenticator can refuse the other kind of key on sight:
 * a gateway key is never looked up as an admin key, an admin key is never looked up as (nor forwarded to a provider
 * in place of) a gateway key. D1 stores the SHA-256 of the whole key, as for gateway keys.
 */
export const ADMIN_KEY_PREFIX = "agk_admin_";
const RANDOM_BYTES = 32;
/** `agk_admin_` + 6 characters: shown in lists (36 of the 256 bits). */
const VISIBLE_CHARS = ADMIN_KEY_PREFIX.length + 6;

export interface NewAdminKey {
  secret: string;
  hash: string;
  prefix: string;
}

export async function generateAdminKey(): Promise<NewAdminKey> {
  const secret = ADMIN_KEY_PREFIX + toBase64Url(crypto.getRandomValues(new Uint8Array(RANDOM_BYTES)));
  return { secret, hash: await hashAdminKey(secret), prefix: secret.slice(0, VISIBLE_CHARS) };
}

export const hashAdminKey = (secret: string): Promise<string> => sha256Hex(secret);

/** Anything with the prefix is meant as an admin key: never a gateway key, never a provider key. */
export const looksLikeAdminKey = (token: string): boolean => token.startsWith(ADMIN_KEY_PREFIX);

const KEY_SHAPE = /^agk_admin_[A-Za-z0-9_-]{43}$/;
/** Exactly what generateAdminKey makes: only such tokens are worth a lookup. */
export const isAdminKeyShaped = (token: string): boolean => KEY_SHAPE.test(token);
