import { sha256Hex, toBase64Url } from "../../lib/encoding";

/**
 * The shape every secret the gateway issues shares: a fixed prefix + 43 base64url characters (32 random bytes,
 * 256 bits). D1 stores the SHA-256 of the whole key: with 256 random bits a fast hash is enough (there is nothing
 * to brute-force), and a lookup costs one indexed read. The prefix + 6 characters are shown in lists so people can
 * tell keys apart (36 of the 256 bits).
 */
const RANDOM_BYTES = 32;
const VISIBLE_RANDOM_CHARS = 6;

export interface NewSecret {
  secret: string;
  hash: string;
  prefix: string;
}

export interface SecretFormat {
  prefix: string;
  generate(): Promise<NewSecret>;
  hash(secret: string): Promise<string>;
  /** Anything with the prefix is meant as this kind of key, even when malformed. */
  looksLike(token: string): boolean;
  /** Exactly what generate() makes: only such tokens are worth a lookup (a malformed one is refused at once). */
  isShaped(token: string): boolean;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&");

export function secretFormat(prefix: string): SecretFormat {
  const shape = new RegExp(`^${escapeRegExp(prefix)}[A-Za-z0-9_-]{43}$`);
  const hash = (secret: string) => sha256Hex(secret);
  return {
    prefix,
    hash,
    async generate() {
      const secret = prefix + toBase64Url(crypto.getRandomValues(new Uint8Array(RANDOM_BYTES)));
      return { secret, hash: await hash(secret), prefix: secret.slice(0, prefix.length + VISIBLE_RANDOM_CHARS) };
    },
    looksLike: (token) => token.startsWith(prefix),
    isShaped: (token) => shape.test(token),
  };
}
