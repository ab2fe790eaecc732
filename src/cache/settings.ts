import type { CacheConfig } from "../../schema/config";
import type { AppContext } from "../context";
import { RoutingStop } from "../routing/trail";
import { settingsOf, type SemanticSettings } from "../settings";

/** Without `max_age` an entry lives 7 days (Portkey's default). */
export const DEFAULT_MAX_AGE_S = 7 * 86_400;
/** KV refuses an expirationTtl below 60 s: shorter max_ages are enforced on read from the entry's created time. */
export const KV_MIN_TTL_S = 60;
export const DEFAULT_NAMESPACE = "default";
export const MAX_NAMESPACE_LENGTH = 64;

export interface CacheSettings {
  mode: CacheConfig["mode"];
  /** How old an entry this request accepts (and how long a new one is served). */
  maxAgeMs: number;
  /** KV expirationTtl for what this request stores: max_age, raised to KV's minimum. */
  ttlSeconds: number;
}

export function cacheSettings(config: CacheConfig | undefined): CacheSettings | null {
  if (!config) return null;
  const maxAge = config.max_age ?? DEFAULT_MAX_AGE_S;
  return { mode: config.mode, maxAgeMs: maxAge * 1000, ttlSeconds: Math.max(KV_MIN_TTL_S, maxAge) };
}

export interface RequestOptions {
  namespace: string;
  forceRefresh: boolean;
}

const PRINTABLE = /^[\x20-\x7e]+$/;

/**
 * x-portkey-cache-namespace and x-portkey-cache-force-refresh. A bad namespace is the caller's 400, raised as a
 * RoutingStop from inside the first attempt: routing ends at once (no fallback would fix it) and still releases
 * what admission reserved.
 */
export function requestOptions(c: AppContext): RequestOptions {
  const raw = c.req.header("x-portkey-cache-namespace")?.trim();
  if (raw !== undefined && raw !== "" && (raw.length > MAX_NAMESPACE_LENGTH || !PRINTABLE.test(raw))) {
    throw new RoutingStop(
      400,
      `x-portkey-cache-namespace must be 1-${MAX_NAMESPACE_LENGTH} printable ASCII characters`,
      {
        param: "x-portkey-cache-namespace",
        code: "invalid_cache_namespace",
      },
    );
  }
  return {
    namespace: raw || DEFAULT_NAMESPACE,
    forceRefresh: c.req.header("x-portkey-cache-force-refresh")?.trim().toLowerCase() === "true",
  };
}

/** The semantic-cache vars are parsed with the others, once per env object (src/settings.ts). */
export { DEFAULT_EMBEDDING_TIMEOUT_MS, DEFAULT_SEMANTIC_THRESHOLD, type SemanticSettings } from "../settings";

/** The deployment's semantic-cache settings, or null when no embedding provider and model are set. */
export const semanticSettings = (env: Env): SemanticSettings | null => settingsOf(env).semanticCache;
