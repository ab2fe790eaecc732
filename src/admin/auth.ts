import { createMiddleware } from "hono/factory";
import { ADMIN_SCOPES, type AdminScope } from "../../schema/db";
import { GatewayError } from "../errors";
import { hashAdminKey, isAdminKeyShaped, looksLikeAdminKey } from "../governance/keys/admin-format";
import { looksLikeGatewayKey } from "../governance/keys/format";
import { adminKeyByHash } from "./admin-key-store";
import type { AdminContext, AdminEnv } from "./context";
import { grants, requiredScope } from "./scopes";

const encoder = new TextEncoder();

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * Compares digests, not tokens: both sides are 32 bytes whatever the token lengths, so neither the length nor a
 * matching prefix of ADMIN_TOKEN leaks through timing. workerd has crypto.subtle.timingSafeEqual; the loop is the
 * fallback for runtimes without it (it touches every byte whatever it finds).
 */
function digestsEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  const subtle: Partial<Pick<SubtleCrypto, "timingSafeEqual">> = crypto.subtle;
  if (typeof subtle.timingSafeEqual === "function") return subtle.timingSafeEqual(a, b);
  let diff = 0;
  for (let i = 0; i < a.byteLength; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

/**
 * The audit identity of an admin credential: `admin:` + the first 8 hex digits of the token's SHA-256. Stable per
 * token (rotating ADMIN_TOKEN shows up as a new actor), useless for recovering the token.
 */
export async function adminIdentity(token: string): Promise<string> {
  return identityFromDigest(await sha256(token));
}

function identityFromDigest(digest: Uint8Array): string {
  return `admin:${hex(digest).slice(0, 8)}`;
}

function bearerToken(header: string | undefined): string | null {
  const match = header?.match(/^Bearer[ \t]+(\S+)[ \t]*$/i);
  return match?.[1] ?? null;
}

const unauthorized = (message: string, code: string) =>
  new GatewayError(401, message, { code, headers: { "WWW-Authenticate": 'Bearer realm="admin"' } });

/** Who presented what: the audit identity and the scopes it holds. */
export interface AdminCredential {
  actor: string;
  scopes: readonly AdminScope[];
  /** For error messages: `ADMIN_TOKEN` or the admin key's name and id. */
  label: string;
}

/** An admin API key (agk_admin_...): 401 when unknown, revoked or expired. */
export async function adminKeyCredential(env: Env, token: string): Promise<AdminCredential> {
  const key = isAdminKeyShaped(token) ? await adminKeyByHash(env, await hashAdminKey(token)) : null;
  if (!key) throw unauthorized("invalid admin API key", "invalid_admin_key");
  const label = `admin API key ${JSON.stringify(key.name)} (${key.id})`;
  if (key.revokedAt !== null) throw unauthorized(`${label} is revoked`, "admin_key_revoked");
  if (key.expiresAt !== null && key.expiresAt <= Date.now()) {
    throw unauthorized(`${label} expired at ${new Date(key.expiresAt).toISOString()}`, "admin_key_expired");
  }
  return { actor: `admin-key:${key.id}`, scopes: key.scopes, label };
}

/**
 * ADMIN_TOKEN first (whatever it looks like, it always works and holds every scope), then admin API keys. A
 * gateway key is never an admin credential: refused on sight, without a lookup.
 */
export async function credentialOf(env: Env, presented: string, expected: string): Promise<AdminCredential> {
  const [presentedDigest, expectedDigest] = await Promise.all([sha256(presented), sha256(expected)]);
  if (digestsEqual(presentedDigest, expectedDigest))
    return { actor: identityFromDigest(expectedDigest), scopes: ADMIN_SCOPES, label: "ADMIN_TOKEN" };
  if (looksLikeAdminKey(presented)) return adminKeyCredential(env, presented);
  if (looksLikeGatewayKey(presented)) {
    throw unauthorized(
      "a gateway API key (pk-gw-...) is not an admin credential: use ADMIN_TOKEN or an admin API key (agk_admin_...)",
      "invalid_admin_token",
    );
  }
  throw unauthorized("invalid admin token", "invalid_admin_token");
}

/**
 * `Authorization: Bearer <ADMIN_TOKEN or admin API key>` on every admin route and /metrics; the route's scope
 * (src/admin/scopes.ts) must be held, else 403. Without ADMIN_TOKEN the admin API is disabled (503), keys
 * included, never open: a deployment that forgot the secret must not hand out control of the gateway.
 */
export function adminAuth() {
  return createMiddleware<AdminEnv>(async (c, next) => {
    const expected = c.env.ADMIN_TOKEN;
    if (!expected) {
      throw new GatewayError(503, "admin API disabled: set ADMIN_TOKEN (wrangler secret put ADMIN_TOKEN)", {
        code: "admin_api_disabled",
      });
    }
    const presented = bearerToken(c.req.header("authorization"));
    if (!presented)
      throw unauthorized(
        "missing admin token: send Authorization: Bearer <ADMIN_TOKEN or an admin API key>",
        "missing_admin_token",
      );
    const credential = await credentialOf(c.env, presented, expected);
    const required = requiredScope(c.req.method, c.req.path);
    if (!grants(credential.scopes, required)) {
      const held = credential.scopes.join(", ");
      throw new GatewayError(
        403,
        `${credential.label} lacks the \`${required}\` scope needed for ${c.req.method} ${c.req.path} (it has: ${held})`,
        {
          code: "insufficient_scope",
        },
      );
    }
    c.set("adminActor", credential.actor);
    await next();
  });
}

/** The calling admin's audit identity (adminAuth() has run for every route under /admin). */
export function adminActor(c: AdminContext): string {
  const actor = c.var.adminActor;
  if (!actor) throw new Error("admin route reached without adminAuth()"); // a wiring bug: 500, never an anonymous change
  return actor;
}
