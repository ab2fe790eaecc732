import type { VirtualKeyRow } from "../../schema/db";
import { openDb } from "../storage/db";
import { gatewayKeyRecord, virtualKeyRecord, type GatewayKeyRecord, type VirtualKeyRecord } from "./records";
import { findGatewayKeyByHash, findVirtualKeyBySlug } from "./repository";
import { TtlCache } from "./ttl-cache";
import { open } from "../vault/cipher";
import { parseCredential, type ProviderCredential } from "../vault/credential";
import { vaultKeys } from "../vault/keys";

/**
 * Gateway keys and virtual keys for the request path, from isolate memory.
 *
 * Freshness: a record is trusted KEY_CACHE_TTL_MS (10 s), an unknown key KEY_MISS_TTL_MS (5 s). The admin routes
 * invalidate what they change in their own isolate, so there a disable, rotate, delete or limit change applies to
 * the very next request; other isolates pick it up within 10 s. Expiry needs no refresh: it is checked against
 * the clock on every request. A virtual key's credential is decrypted once per load and kept only as long as its
 * record (and only while the key is active).
 */
export const KEY_CACHE_TTL_MS = 10_000;
export const KEY_MISS_TTL_MS = 5_000;
const MAX_ENTRIES = 2_000;

const gatewayKeyCache = new TtlCache<GatewayKeyRecord>({
  ttlMs: KEY_CACHE_TTL_MS,
  missTtlMs: KEY_MISS_TTL_MS,
  maxEntries: MAX_ENTRIES,
});
const virtualKeyCache = new TtlCache<VirtualKeyRecord>({
  ttlMs: KEY_CACHE_TTL_MS,
  missTtlMs: KEY_MISS_TTL_MS,
  maxEntries: MAX_ENTRIES,
});

/** The gateway key whose secret hashes to `hash` (any status: the caller decides what disabled means), or null. */
export function gatewayKeyByHash(env: Env, hash: string): Promise<GatewayKeyRecord | null> {
  return gatewayKeyCache.get(hash, async () => {
    const row = await findGatewayKeyByHash(openDb(env), hash);
    return row ? gatewayKeyRecord(row) : null;
  });
}

/** Decrypt a row's credential (503 when the vault cannot). */
export async function decryptCredential(env: Env, row: VirtualKeyRow): Promise<ProviderCredential> {
  if (row.secretCiphertext === null || row.secretIv === null)
    throw new Error(`virtual key ${row.id} has no stored credential`);
  const what = `virtual key ${JSON.stringify(row.slug)}`;
  const sealed = { ciphertext: row.secretCiphertext, iv: row.secretIv, keyId: row.vaultKeyId };
  return parseCredential(await open(await vaultKeys(env), sealed, row.id, what));
}

/** A live virtual key by slug, decrypted when active; null when there is none. */
export function virtualKeyBySlug(env: Env, slug: string): Promise<VirtualKeyRecord | null> {
  return virtualKeyCache.get(slug, async () => {
    const row = await findVirtualKeyBySlug(openDb(env), slug);
    if (!row) return null;
    return virtualKeyRecord(row, row.status === "active" ? await decryptCredential(env, row) : null);
  });
}

/** Forget a gateway key in this isolate (admin routes, after every change, with the hash it was found under). */
export function invalidateGatewayKey(hash: string): void {
  gatewayKeyCache.delete(hash);
}

export function invalidateVirtualKey(slug: string): void {
  virtualKeyCache.delete(slug);
}

/** For tests: start from empty caches. */
export function clearKeyCaches(): void {
  gatewayKeyCache.clear();
  virtualKeyCache.clear();
}
