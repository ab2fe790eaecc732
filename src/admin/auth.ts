import { createMiddleware } from "hono/factory";
import { GatewayError } from "../errors";
import type { AdminContext, AdminEnv } from "./context";

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

/**
 * `Authorization: Bearer <ADMIN_TOKEN>` on every admin route. Without ADMIN_TOKEN the admin API is disabled (503),
 * never open: a deployment that forgot the secret must not hand out control of the gateway.
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
    if (!presented) throw unauthorized("missing admin token: send Authorization: Bearer <ADMIN_TOKEN>", "missing_admin_token");
    const [presentedDigest, expectedDigest] = await Promise.all([sha256(presented), sha256(expected)]);
    if (!digestsEqual(presentedDigest, expectedDigest)) throw unauthorized("invalid admin token", "invalid_admin_token");
    c.set("adminActor", identityFromDigest(expectedDigest));
    await next();
  });
}

/** The calling admin's audit identity (adminAuth() has run for every route under /admin). */
export function adminActor(c: AdminContext): string {
  const actor = c.var.adminActor;
  if (!actor) throw new Error("admin route reached without adminAuth()"); // a wiring bug: 500, never an anonymous change
  return actor;
}
