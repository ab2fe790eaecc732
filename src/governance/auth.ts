import { createMiddleware } from "hono/factory";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppContext, AppEnv } from "../context";
import { GatewayError } from "../errors";
import { setCaller } from "./caller";
import { looksLikeAdminKey } from "./keys/admin-format";
import { hashGatewayKey, isGatewayKeyShaped, looksLikeGatewayKey } from "./keys/format";
import { gatewayKeyByHash } from "./store";

/**
 * Authentication of /v1 requests (docs/contract.md: 401 no/invalid key, 403 key disabled).
 *
 * A gateway key comes in `x-portkey-api-key`, or in `Authorization: Bearer pk-gw-...` (what an OpenAI SDK sends as
 * its apiKey). Without one the request is refused, unless the PASSTHROUGH_MODE var is "true": then it proceeds
 * like the open-source Portkey gateway, with the provider's own key in Authorization and no governance.
 * A presented gateway key is always checked, in both modes, so passthrough never weakens a keyed request.
 * (PASSTHROUGH_MODE is read once, into c.var.settings.passthrough.)
 */

function bearer(header: string | undefined): string | undefined {
  return header?.match(/^Bearer[ \t]+(\S+)[ \t]*$/i)?.[1];
}

interface Presented {
  token: string;
  fromAuthorization: boolean;
}

/**
 * A key this gateway issues. An admin API key (agk_admin_...) counts too, so that it is refused (401) rather than
 * forwarded to a provider as if it were the caller's provider key in passthrough mode.
 */
const looksLikeOurKey = (token: string): boolean => looksLikeGatewayKey(token) || looksLikeAdminKey(token);

/**
 * The gateway key the caller presents: a gateway-key-looking x-portkey-api-key, else one in Authorization. Clients
 * (the portkey-ai SDK among them) often put a placeholder in x-portkey-api-key; it never hides a real key in
 * Authorization, and only counts as a (wrong) key when nothing else is presented and passthrough is off.
 */
function presentedKey(c: AppContext): Presented | null {
  const header = c.req.header("x-portkey-api-key")?.trim();
  if (header && looksLikeOurKey(header)) return { token: header, fromAuthorization: false };
  const token = bearer(c.req.header("authorization"));
  if (token && looksLikeOurKey(token)) return { token, fromAuthorization: true };
  // The Anthropic SDK sends its apiKey in x-api-key (/v1/messages): a gateway key there counts as presented.
  const apiKeyHeader = c.req.header("x-api-key")?.trim();
  if (apiKeyHeader && looksLikeOurKey(apiKeyHeader)) return { token: apiKeyHeader, fromAuthorization: false };
  return header && !c.var.settings.passthrough ? { token: header, fromAuthorization: false } : null;
}

/**
 * SHA-256 of recently presented keys, so a busy key costs one digest per isolate rather than one per request (a
 * pure function of the token: never stale). Bounded like the key cache; the tokens are the ones requests carry.
 */
const MAX_HASHES = 2_000;
const hashes = new Map<string, string>();

async function hashOf(token: string): Promise<string> {
  const known = hashes.get(token);
  if (known !== undefined) return known;
  const hash = await hashGatewayKey(token);
  hashes.set(token, hash);
  if (hashes.size > MAX_HASHES) hashes.delete(hashes.keys().next().value ?? token);
  return hash;
}

function deny(c: AppContext, status: ContentfulStatusCode, message: string, code: string): GatewayError {
  c.var.outcome.governance.deniedBy = "auth";
  const headers: Record<string, string> = status === 401 ? { "WWW-Authenticate": 'Bearer realm="gateway"' } : {};
  return new GatewayError(status, message, { code, headers });
}

export function gatewayAuth() {
  return createMiddleware<AppEnv>(async (c, next) => {
    const presented = presentedKey(c);
    if (!presented) {
      if (c.var.settings.passthrough) return next();
      const sentOther = c.req.header("authorization") !== undefined;
      throw deny(
        c,
        401,
        sentOther
          ? "Authorization does not hold a gateway API key (pk-gw-...): this gateway does not accept provider keys from callers; use a key issued by the admin API"
          : "missing gateway API key: send Authorization: Bearer <gateway key> or x-portkey-api-key",
        "missing_api_key",
      );
    }
    if (looksLikeAdminKey(presented.token)) {
      throw deny(
        c,
        401,
        "an admin API key (agk_admin_...) is not a gateway API key: send a gateway key (pk-gw-...)",
        "invalid_api_key",
      );
    }
    // A token not shaped like a key we issue cannot be one: refused without a lookup (forged keys cost no D1 read).
    const key = isGatewayKeyShaped(presented.token)
      ? await gatewayKeyByHash(c.env, await hashOf(presented.token))
      : null;
    // A deleted key is as unknown as a wrong one: nothing about it is worth telling the caller.
    if (!key || key.status === "deleted") throw deny(c, 401, "invalid gateway API key", "invalid_api_key");
    const { governance } = c.var.outcome;
    governance.gatewayKeyId = key.id;
    if (key.status === "disabled") throw deny(c, 403, `gateway API key "${key.name}" is disabled`, "api_key_disabled");
    if (key.expiresAt !== null && key.expiresAt <= Date.now()) {
      throw deny(
        c,
        401,
        `gateway API key "${key.name}" expired at ${new Date(key.expiresAt).toISOString()}`,
        "api_key_expired",
      );
    }
    if (key.user !== null) governance.user = key.user;
    if (key.logBodies !== null) governance.logBodies = key.logBodies;
    setCaller(c, { key, fromAuthorization: presented.fromAuthorization });
    await next();
  });
}
