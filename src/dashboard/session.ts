/**
 * Dashboard sessions: a signed, expiring cookie instead of the admin token. The signing key is derived (HKDF) from
 * ADMIN_TOKEN, so rotating the token signs every session out; the cookie carries no secret, only who signed in,
 * with which role, until when, and a random session id that CSRF tokens are bound to.
 */

export const SESSION_COOKIE = "gw_dash";
export const SESSION_TTL_MS = 8 * 3_600_000;

export type DashboardRole = "admin" | "read";

export interface DashboardSession {
  /** Random per sign-in; CSRF tokens are HMACs of it. */
  sid: string;
  role: DashboardRole;
  /** The audit identity (admin:xxxx or admin-key:<id>), as the admin API records it. */
  actor: string;
  /** Expiry, epoch ms. */
  exp: number;
  /** For an admin API key: its SHA-256, so each request re-checks that the key is still valid. */
  keyHash?: string;
}

const encoder = new TextEncoder();

export function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64url(text: string): Uint8Array | null {
  try {
    const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
    return Uint8Array.from(binary, (char) => char.charCodeAt(0));
  } catch {
    return null;
  }
}

export function randomToken(bytes = 16): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** HMAC-SHA256 key for sessions and CSRF tokens: HKDF of ADMIN_TOKEN with a purpose label (never the token itself). */
async function signingKey(adminToken: string): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey("raw", encoder.encode(adminToken), "HKDF", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: encoder.encode("ai-gateway/dashboard"), info: encoder.encode("session-v1") },
    base,
    { name: "HMAC", hash: "SHA-256", length: 256 },
    false,
    ["sign", "verify"],
  );
}

async function mac(adminToken: string, message: string): Promise<string> {
  const key = await signingKey(adminToken);
  return base64url(new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(message))));
}

async function macMatches(adminToken: string, message: string, signature: string): Promise<boolean> {
  const bytes = fromBase64url(signature);
  if (!bytes) return false;
  const key = await signingKey(adminToken);
  return crypto.subtle.verify("HMAC", key, bytes, encoder.encode(message)); // constant time
}

export async function signSession(adminToken: string, session: DashboardSession): Promise<string> {
  const payload = base64url(encoder.encode(JSON.stringify(session)));
  return `${payload}.${await mac(adminToken, `session.${payload}`)}`;
}

function isSession(value: unknown): value is DashboardSession {
  if (typeof value !== "object" || value === null) return false;
  const s = value as Record<string, unknown>;
  return (
    typeof s.sid === "string" &&
    (s.role === "admin" || s.role === "read") &&
    typeof s.actor === "string" &&
    typeof s.exp === "number" &&
    (s.keyHash === undefined || typeof s.keyHash === "string")
  );
}

/** The session a cookie carries, or null when it is missing, forged, malformed or expired. */
export async function verifySession(
  adminToken: string,
  cookie: string | undefined,
  now = Date.now(),
): Promise<DashboardSession | null> {
  const [payload, signature, extra] = cookie?.split(".") ?? [];
  if (!payload || !signature || extra !== undefined) return null;
  if (!(await macMatches(adminToken, `session.${payload}`, signature))) return null;
  const bytes = fromBase64url(payload);
  let parsed: unknown = null;
  try {
    parsed = bytes ? JSON.parse(new TextDecoder().decode(bytes)) : null;
  } catch {
    return null;
  }
  return isSession(parsed) && parsed.exp > now ? parsed : null;
}

/** The CSRF token of a session: bound to its id, so a token from another session (or none) is refused. */
export const csrfTokenOf = (adminToken: string, session: DashboardSession): Promise<string> =>
  mac(adminToken, `csrf.${session.sid}`);

export async function csrfTokenValid(
  adminToken: string,
  session: DashboardSession,
  presented: string | undefined,
): Promise<boolean> {
  return presented !== undefined && presented !== "" && macMatches(adminToken, `csrf.${session.sid}`, presented);
}
