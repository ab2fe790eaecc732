import { sha256Hex, toBase64Url } from "../encoding";

/**
 * Gateway API keys: `pk-gw-` + 43 base64url characters (32 random bytes, 256 bits). The fixed prefix lets the auth
 * middleware tell a gateway key from a provider key in `Authorization` (passthrough mode) and lets secret scanners
 * recognise leaked keys. D1 stores the SHA-256 of the whole key: with 256 random bits a fast hash is enough (there
 * is nothing to brute-force), and a lookup costs one indexed read.
 */
export const GATEWAY_KEY_PREFIX = "pk-gw-";
const RANDOM_BYTES = 32;
/** `pk-gw-` + 6 characters: shown in lists so people can tell keys apart (36 of the 256 bits). */
const VISIBLE_CHARS = GATEWAY_KEY_PREFIX.length + 6;

export interface NewGatewayKey {
  secret: string;
  hash: string;
  prefix: string;
}

export async function generateGatewayKey(): Promise<NewGatewayKey> {
  const secret = GATEWAY_KEY_PREFIX + toBase64Url(crypto.getRandomValues(new Uint8Array(RANDOM_BYTES)));
  return { secret, hash: await hashGatewayKey(secret), prefix: secret.slice(0, VISIBLE_CHARS) };
}

export const hashGatewayKey = (secret: string): Promise<string> => sha256Hex(secret);

/** Anything with the prefix: never forwarded to a provider, even when malformed. */
export const looksLikeGatewayKey = (token: string): boolean => token.startsWith(GATEWAY_KEY_PREFIX);

const KEY_SHAPE = /^pk-gw-[A-Za-z0-9_-]{43}$/;
/** Exactly what generateGatewayKey makes: only such tokens are worth a lookup (a malformed one is refused at once). */
export const isGatewayKeyShaped = (token: string): boolean => KEY_SHAPE.test(token);
