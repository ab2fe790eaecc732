import type { CacheConfig } from "../../schema/config";
import type { AppContext } from "../context";
import { RoutingStop } from "../routing/trail";

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

export const DEFAULT_SEMANTIC_THRESHOLD = 0.95;
/**
 * How long a lookup waits for the embedding of the question. The embedding precedes every semantic hit and every
 * semantic-mode miss, so it bounds what the cache can add to a miss: a typical call answers in 100-500 ms, a
 * slower one is abandoned and the request is a plain MISS. SEMANTIC_CACHE_EMBEDDING_TIMEOUT_MS overrides it.
 */
export const DEFAULT_EMBEDDING_TIMEOUT_MS = 1_500;
const MAX_EMBEDDING_TIMEOUT_MS = 30_000;

/** The deployment's semantic-cache settings (wrangler.toml vars and one optional secret). */
export interface SemanticSettings {
  threshold: number;
  provider: string;
  model: string;
  /** Base URL override of the embedding provider, policed like any custom_host. */
  host?: string;
  /** SEMANTIC_CACHE_EMBEDDING_API_KEY; absent: the target's own key when it is the same provider. */
  apiKey?: string;
  /** How long a lookup waits for the embedding before it gives up (a MISS). */
  embeddingTimeoutMs: number;
}

/**
 * Env plus what `wrangler types` cannot know: the secret, and the timeout var while it is not in wrangler.toml
 * (its default applies when it is absent).
 */
type SemanticEnv = Env & { SEMANTIC_CACHE_EMBEDDING_API_KEY?: string };

function embeddingTimeoutMs(value: string | undefined): number {
  const parsed = Number(value);
  return value?.trim() && Number.isFinite(parsed) && parsed > 0
    ? Math.min(parsed, MAX_EMBEDDING_TIMEOUT_MS)
    : DEFAULT_EMBEDDING_TIMEOUT_MS;
}

export function semanticSettings(env: SemanticEnv): SemanticSettings | null {
  const provider = env.SEMANTIC_CACHE_EMBEDDING_PROVIDER?.trim();
  const model = env.SEMANTIC_CACHE_EMBEDDING_MODEL?.trim();
  if (!provider || !model) return null;
  const parsed = Number(env.SEMANTIC_CACHE_THRESHOLD);
  const threshold = Number.isFinite(parsed) && parsed > 0 && parsed <= 1 ? parsed : DEFAULT_SEMANTIC_THRESHOLD;
  const settings: SemanticSettings = {
    threshold,
    provider,
    model,
    embeddingTimeoutMs: embeddingTimeoutMs(env.SEMANTIC_CACHE_EMBEDDING_TIMEOUT_MS),
  };
  const host = env.SEMANTIC_CACHE_EMBEDDING_HOST?.trim();
  if (host) settings.host = host;
  if (env.SEMANTIC_CACHE_EMBEDDING_API_KEY) settings.apiKey = env.SEMANTIC_CACHE_EMBEDDING_API_KEY;
  return settings;
}
