import type { ServiceAccount } from "./service-account";

/**
 * The signed assertion of Google's service-account flow (RFC 7523 JWT bearer grant): an RS256 JWT whose issuer is
 * the account, audience Google's token endpoint and scope cloud-platform, signed with the account's private key
 * through WebCrypto (RSASSA-PKCS1-v1_5 with SHA-256, which is what RS256 names).
 */

export const GOOGLE_TOKEN_AUDIENCE = "https://oauth2.googleapis.com/token";
export const CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform";
/** Google accepts assertions valid for at most one hour. */
export const ASSERTION_LIFETIME_SECONDS = 3600;

const RS256 = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;

/** The private key could not be used (not PKCS#8, not RSA, corrupted). Says nothing about its content. */
export class PrivateKeyError extends Error {
  override readonly name = "PrivateKeyError";
}

export function base64UrlEncode(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

const encodeJson = (value: object): string => base64UrlEncode(new TextEncoder().encode(JSON.stringify(value)));

/** The DER bytes inside a PEM block. Key files store newlines as `\n` escapes, which JSON.parse has already undone. */
export function pemToDer(pem: string): Uint8Array<ArrayBuffer> {
  const body = pem.replace(/-----(BEGIN|END) [A-Z ]+-----/g, "").replace(/\s+/g, "");
  try {
    const binary = atob(body);
    const der = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) der[i] = binary.charCodeAt(i);
    return der;
  } catch {
    throw new PrivateKeyError("the service account's private_key is not valid PEM");
  }
}

export async function importPrivateKey(pem: string): Promise<CryptoKey> {
  try {
    return await crypto.subtle.importKey("pkcs8", pemToDer(pem), RS256, false, ["sign"]);
  } catch (error) {
    if (error instanceof PrivateKeyError) throw error;
    throw new PrivateKeyError("the service account's private_key is not a PKCS#8 RSA private key");
  }
}

/** `header.claims.signature`, every part base64url without padding. `nowSeconds` is the issue time. */
export async function signAssertion(account: ServiceAccount, nowSeconds: number): Promise<string> {
  const header: Record<string, string> = { alg: "RS256", typ: "JWT" };
  if (account.privateKeyId) header.kid = account.privateKeyId;
  const claims = {
    iss: account.clientEmail,
    scope: CLOUD_PLATFORM_SCOPE,
    aud: GOOGLE_TOKEN_AUDIENCE,
    iat: nowSeconds,
    exp: nowSeconds + ASSERTION_LIFETIME_SECONDS,
  };
  const signingInput = `${encodeJson(header)}.${encodeJson(claims)}`;
  const key = await importPrivateKey(account.privateKey);
  const signature = await crypto.subtle.sign(RS256, key, new TextEncoder().encode(signingInput));
  return `${signingInput}.${base64UrlEncode(new Uint8Array(signature))}`;
}
