import * as z from "zod";
import { PROVIDER_IDS } from "../../schema/provider-ids";
import { cacheRuntime, within } from "./runtime";

/** A bigger answer is served but not cached: a KV value may hold 25 MiB, a cache that fills with those should not. */
export const MAX_ENTRY_BYTES = 1024 * 1024;

/** Only the fields pricing and the logger read (z.object: other fields are dropped on read). */
const usageSchema = z.object({
  prompt_tokens: z.number(),
  completion_tokens: z.number().optional(),
  total_tokens: z.number().optional(),
  prompt_tokens_details: z.object({ cached_tokens: z.number().optional() }).nullish(),
  cache_creation_input_tokens: z.number().optional(),
});

/**
 * One cached answer, as stored in KV (JSON). `body` is always the non-streamed shape (chat.completion,
 * text_completion, embeddings list): streamed answers are assembled before storing and re-chunked on replay.
 * Read back through the schema, so a value from an older layout or a bad write is a miss, never a crash.
 */
export const entrySchema = z.looseObject({
  v: z.literal(1),
  operation: z.enum(["chat", "completions", "embeddings"]),
  provider: z.enum(PROVIDER_IDS),
  /** The model that answered (the provider's echo), for pricing the hit. */
  model: z.string(),
  createdAt: z.number(),
  /** createdAt + the storing request's max_age: KV's own expiry can only be >= 60 s. */
  expiresAt: z.number(),
  body: z.record(z.string(), z.unknown()),
  usage: usageSchema.optional(),
});

export type CacheEntry = z.infer<typeof entrySchema>;
export type EntryUsage = z.infer<typeof usageSchema>;

/** Fresh for this reader: within the storing request's max_age and within the reader's own. */
export function isFresh(entry: CacheEntry, maxAgeMs: number, now = cacheRuntime.now()): boolean {
  return now < entry.expiresAt && now < entry.createdAt + maxAgeMs;
}

/** A read slower than cacheRuntime.readTimeoutMs is a miss (null): the request goes on to its provider. */
export async function readEntry(kv: KVNamespace, key: string, maxAgeMs: number): Promise<CacheEntry | null> {
  const raw = await within(kv.get(key, "json"), cacheRuntime.readTimeoutMs, null);
  if (raw === null) return null;
  const parsed = entrySchema.safeParse(raw);
  return parsed.success && isFresh(parsed.data, maxAgeMs) ? parsed.data : null;
}

/** False when the entry is too big to keep. */
export async function writeEntry(
  kv: KVNamespace,
  key: string,
  entry: CacheEntry,
  ttlSeconds: number,
): Promise<boolean> {
  const bytes = new TextEncoder().encode(JSON.stringify(entry));
  if (bytes.byteLength > MAX_ENTRY_BYTES) return false;
  await kv.put(key, bytes, { expirationTtl: ttlSeconds });
  return true;
}
