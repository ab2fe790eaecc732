import { parseRoutingConfig, type RoutingConfig } from "../../schema/config";
import { loadSavedConfig } from "../configs/store";
import type { AppContext } from "../context";
import { badRequest } from "../errors";
import { keyDefaultConfig } from "../governance/request";

const PARAM = "x-portkey-config";

function validated(json: unknown, prefix = ""): RoutingConfig {
  const result = parseRoutingConfig(json);
  if (!result.success) throw badRequest(`${prefix}${result.message}`, PARAM, "invalid_config");
  return result.data;
}

// Saved configs come from an isolate cache (configs/store), often as the same object: validate each object once.
const validatedSaved = new WeakMap<object, RoutingConfig>();

/** The request's config: inline JSON in x-portkey-config, or the id/slug of a saved config; null without one. */
export async function loadConfig(c: AppContext): Promise<RoutingConfig | null> {
  const raw = c.req.header(PARAM)?.trim();
  if (!raw) return null;
  return configFromRef(c, raw);
}

/** Inline config JSON or a saved config's id/slug, as x-portkey-config takes it (also a prompt version's `config`). */
export async function configFromRef(c: AppContext, raw: string): Promise<RoutingConfig> {
  // Ids and slugs never start with a bracket: anything that does is meant as inline JSON.
  if (raw.startsWith("{") || raw.startsWith("[")) {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw badRequest(`${PARAM} is not valid JSON`, PARAM, "invalid_config");
    }
    return validated(json);
  }
  const saved = await loadSavedConfig(c.env, raw);
  if (saved === null) throw badRequest(`config ${JSON.stringify(raw)} not found`, PARAM, "config_not_found");
  if (typeof saved !== "object") return validated(saved, `saved config ${JSON.stringify(raw)} is invalid: `);
  let config = validatedSaved.get(saved);
  if (!config) {
    config = validated(saved, `saved config ${JSON.stringify(raw)} is invalid: `);
    validatedSaved.set(saved, config);
  }
  return config;
}

/** The resolve-config step: the request's own config, else the gateway key's default config (if any), else none. */
export async function resolveConfig(c: AppContext): Promise<RoutingConfig | null> {
  return (await loadConfig(c)) ?? (await keyDefaultConfig(c));
}
