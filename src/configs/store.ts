import { openDb } from "../storage/db";
import { findLatestVersion, parseConfigRef } from "./repository";
import { openConfigSecrets } from "./secrets";

/**
 * Saved configs for the request path (`x-portkey-config: <id or slug>`), cached in isolate memory so the hot path
 * rarely touches D1.
 *
 * Freshness: a hit is kept SAVED_CONFIG_TTL_MS (30 s), a miss SAVED_CONFIG_MISS_TTL_MS (5 s, so a typo cannot
 * hammer D1 but a config created right after is usable quickly). The admin routes call invalidateSavedConfig, so
 * the isolate that served the change sees it at once; every other isolate sees an update or archive within 30 s.
 * Concurrent loads of one config share a single D1 read. D1 and vault errors (a sealed credential that does not
 * open: 503) are thrown, never cached.
 */
export const SAVED_CONFIG_TTL_MS = 30_000;
export const SAVED_CONFIG_MISS_TTL_MS = 5_000;
/** Bounds memory when callers send many distinct refs; the oldest entry goes first. */
const MAX_ENTRIES = 512;

interface Entry {
  expiresAt: number;
  value: Promise<unknown>;
}

const cache = new Map<string, Entry>();

/** Frozen because every request of the isolate shares the object: a mutation would leak into the next request. */
function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

async function fetchLatest(env: Env, idOrSlug: string): Promise<unknown> {
  const ref = parseConfigRef(idOrSlug);
  if (!ref) return null;
  const row = await findLatestVersion(openDb(env), ref);
  if (!row) return null;
  // Sealed credentials are opened once per load; the cache holds the result, so requests do not decrypt again.
  return deepFreeze(await openConfigSecrets(env, JSON.parse(row.config), row));
}

function remember(key: string, entry: Entry): void {
  cache.delete(key); // re-insert so Map order stays oldest-first
  cache.set(key, entry);
  while (cache.size > MAX_ENTRIES) {
    const oldest = cache.keys().next();
    if (oldest.done) break;
    cache.delete(oldest.value);
  }
}

/**
 * The config JSON of the latest version of a live (not archived) saved config, by id or slug; null when there is
 * none. Unvalidated `unknown` on purpose: the caller parses it with configSchema like an inline config. The
 * returned object is shared and deep-frozen: do not mutate it.
 */
export async function loadSavedConfig(env: Env, idOrSlug: string): Promise<unknown | null> {
  // Not id- or slug-shaped: cannot exist, and caching it would let junk refs evict real entries.
  if (!parseConfigRef(idOrSlug)) return null;
  const now = Date.now();
  const cached = cache.get(idOrSlug);
  if (cached && cached.expiresAt > now) return cached.value;

  const entry: Entry = { expiresAt: now + SAVED_CONFIG_TTL_MS, value: fetchLatest(env, idOrSlug) };
  remember(idOrSlug, entry);
  try {
    const value = await entry.value;
    if (value === null) entry.expiresAt = Math.min(entry.expiresAt, Date.now() + SAVED_CONFIG_MISS_TTL_MS);
    return value;
  } catch (error) {
    if (cache.get(idOrSlug) === entry) cache.delete(idOrSlug);
    throw error;
  }
}

/** Forget a config in this isolate (called by the admin routes after every change, with its id and its slug). */
export function invalidateSavedConfig(idOrSlug: string): void {
  cache.delete(idOrSlug);
}

/** For tests: start from an empty cache. */
export function clearSavedConfigCache(): void {
  cache.clear();
}
