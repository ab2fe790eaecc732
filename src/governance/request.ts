import { parseRoutingConfig, type RoutingConfig } from "../../schema/config";
import type { DefaultConfig } from "../../schema/db/keys";
import { SLUG_PATTERN } from "../../schema/admin";
import { loadSavedConfig } from "../configs/store";
import type { AppContext } from "../context";
import { GatewayError, badRequest } from "../errors";
import { callerOf } from "./caller";
import type { VirtualKeyRecord } from "./records";
import { virtualKeyBySlug } from "./store";

/** What governance contributes to routing a request: the key's default config and metadata, and virtual keys. */

const PARAM = "default_config";

// Inline defaults are part of the (frozen, cached) key record: validate each object once.
const validatedInline = new WeakMap<object, RoutingConfig>();
const validatedSaved = new WeakMap<object, RoutingConfig>();

function validated(json: unknown, cache: WeakMap<object, RoutingConfig>, what: string): RoutingConfig {
  const hit = typeof json === "object" && json !== null ? cache.get(json) : undefined;
  if (hit) return hit;
  const result = parseRoutingConfig(json);
  // Checked when the admin saved it; failing now means the saved config changed or the schema did.
  if (!result.success) throw badRequest(`${what} is invalid: ${result.message}`, PARAM, "invalid_config");
  if (typeof json === "object" && json !== null) cache.set(json, result.data);
  return result.data;
}

async function resolveDefault(env: Env, keyName: string, config: DefaultConfig): Promise<RoutingConfig> {
  const what = `the default config of gateway key ${JSON.stringify(keyName)}`;
  if ("inline" in config) return validated(config.inline, validatedInline, what);
  const saved = await loadSavedConfig(env, config.ref);
  if (saved === null)
    throw badRequest(`${what} (${JSON.stringify(config.ref)}) no longer exists`, PARAM, "config_not_found");
  return validated(saved, validatedSaved, what);
}

/** The caller's key's default config, used when the request sends no x-portkey-config. */
export async function keyDefaultConfig(c: AppContext): Promise<RoutingConfig | null> {
  const key = callerOf(c)?.key;
  return key?.defaultConfig ? resolveDefault(c.env, key.name, key.defaultConfig) : null;
}

/**
 * The key's default metadata under the request's own (the request wins key by key), and the end user: metadata
 * `_user`, else the key's user (docs/contract.md).
 */
export function withKeyMetadata(
  c: AppContext,
  metadata: Record<string, string> | undefined,
): Record<string, string> | undefined {
  const key = callerOf(c)?.key;
  const merged = key && Object.keys(key.metadata).length > 0 ? { ...key.metadata, ...metadata } : metadata;
  const user = merged?._user ?? key?.user ?? undefined;
  if (user !== undefined) c.var.outcome.governance.user = user;
  return merged;
}

export type VirtualKeyResolver = (slug: string, param: string) => Promise<VirtualKeyRecord>;

/**
 * Looks up the virtual keys a request names (config `virtual_key`, x-portkey-virtual-key, `@slug/` models).
 * Stored credentials are only for gateway-key holders: a passthrough request naming one is refused (401), or
 * anyone who can reach the gateway could spend them.
 */
export function virtualKeyResolver(c: AppContext): VirtualKeyResolver {
  const key = callerOf(c)?.key ?? null;
  const refuse = (error: GatewayError): GatewayError => {
    c.var.outcome.governance.deniedBy = "auth";
    return error;
  };
  return async (slug, param) => {
    if (!key) {
      throw refuse(
        new GatewayError(
          401,
          `virtual key ${JSON.stringify(slug)}: virtual keys can only be used with a gateway API key`,
          {
            code: "missing_api_key",
            param,
            headers: { "WWW-Authenticate": 'Bearer realm="gateway"' },
          },
        ),
      );
    }
    if (key.allowedVirtualKeys && !key.allowedVirtualKeys.includes(slug)) {
      throw refuse(
        new GatewayError(
          403,
          `virtual key ${JSON.stringify(slug)} is not allowed for gateway key ${JSON.stringify(key.name)}`,
          {
            code: "virtual_key_not_allowed",
            param,
          },
        ),
      );
    }
    const record = SLUG_PATTERN.test(slug) ? await virtualKeyBySlug(c.env, slug) : null;
    if (!record) throw badRequest(`virtual key ${JSON.stringify(slug)} not found`, param, "virtual_key_not_found");
    if (record.status !== "active" || !record.credential) {
      throw refuse(
        new GatewayError(403, `virtual key ${JSON.stringify(slug)} is disabled`, {
          code: "virtual_key_disabled",
          param,
        }),
      );
    }
    return record;
  };
}
