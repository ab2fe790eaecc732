import { eq } from "drizzle-orm";
import { adminApiKeys, type AdminApiKeyRow, type AdminScope } from "../../schema/db";
import { KEY_CACHE_TTL_MS, KEY_MISS_TTL_MS } from "../governance/store";
import { TtlCache } from "../governance/ttl-cache";
import { openDb } from "../storage/db";

/**
 * Admin API keys for adminAuth(), from isolate memory with the gateway keys' freshness (src/governance/store.ts):
 * a key is trusted KEY_CACHE_TTL_MS (10 s), an unknown one KEY_MISS_TTL_MS (5 s). Revoking forgets the key in the
 * revoking isolate at once; other isolates refuse it within 10 s. Expiry is checked against the clock per request.
 */
export interface AdminKeyRecord {
  id: string;
  name: string;
  scopes: readonly AdminScope[];
  expiresAt: number | null;
  revokedAt: number | null;
}

const cache = new TtlCache<AdminKeyRecord>({ ttlMs: KEY_CACHE_TTL_MS, missTtlMs: KEY_MISS_TTL_MS, maxEntries: 500 });

const recordOf = (row: AdminApiKeyRow): AdminKeyRecord => ({
  id: row.id,
  name: row.name,
  scopes: row.scopes,
  expiresAt: row.expiresAt?.getTime() ?? null,
  revokedAt: row.revokedAt?.getTime() ?? null,
});

/** The admin key whose secret hashes to `hash` (revoked ones too: the caller says why it refuses), or null. */
export function adminKeyByHash(env: Env, hash: string): Promise<AdminKeyRecord | null> {
  return cache.get(hash, async () => {
    const row = await openDb(env).select().from(adminApiKeys).where(eq(adminApiKeys.keyHash, hash)).get();
    return row ? recordOf(row) : null;
  });
}

/** Forget a key in this isolate (after every change, with the hash it is found under). */
export function invalidateAdminKey(hash: string): void {
  cache.delete(hash);
}

/** For tests: start from an empty cache. */
export function clearAdminKeyCache(): void {
  cache.clear();
}
