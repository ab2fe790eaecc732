import { and, eq } from "drizzle-orm";
import { guardrails, guardrailVersions } from "../../schema/db/guardrails";
import { openDb } from "../storage/db";
import { parseConfigRef, type ConfigRef } from "./repository";

/**
 * Saved guardrails for the request path (`"input_guardrails": ["pii-redact"]`), cached in isolate memory like saved
 * configs (store.ts): a hit is kept 30 s, a miss 5 s, concurrent loads share one D1 read, D1 errors are never
 * cached, and the admin routes invalidate the entry of the isolate that served the change.
 */
export const SAVED_GUARDRAIL_TTL_MS = 30_000;
export const SAVED_GUARDRAIL_MISS_TTL_MS = 5_000;
const MAX_ENTRIES = 512;

export interface SavedGuardrail {
  id: string;
  /** The stored body (a shorthand item or a full-form hook), parsed and frozen: shared by every request. */
  definition: unknown;
}

interface Entry {
  expiresAt: number;
  value: Promise<SavedGuardrail | null>;
}

const cache = new Map<string, Entry>();

function refCondition(ref: ConfigRef) {
  return ref.by === "id" ? eq(guardrails.id, ref.id) : eq(guardrails.slug, ref.slug);
}

async function fetchLatest(env: Env, ref: ConfigRef): Promise<SavedGuardrail | null> {
  const row = await openDb(env)
    .select({ id: guardrails.id, definition: guardrailVersions.definition })
    .from(guardrails)
    .innerJoin(
      guardrailVersions,
      and(eq(guardrailVersions.guardrailId, guardrails.id), eq(guardrailVersions.version, guardrails.latestVersion)),
    )
    .where(and(refCondition(ref), eq(guardrails.archived, false)))
    .get();
  return row ? Object.freeze({ id: row.id, definition: Object.freeze(JSON.parse(row.definition) as unknown) }) : null;
}

/** The latest version of a live saved guardrail by id or slug, or null. */
export async function loadSavedGuardrail(env: Env, idOrSlug: string): Promise<SavedGuardrail | null> {
  const ref = parseConfigRef(idOrSlug);
  if (!ref) return null;
  const now = Date.now();
  const cached = cache.get(idOrSlug);
  if (cached && cached.expiresAt > now) return cached.value;
  const entry: Entry = { expiresAt: now + SAVED_GUARDRAIL_TTL_MS, value: fetchLatest(env, ref) };
  cache.delete(idOrSlug);
  cache.set(idOrSlug, entry);
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value ?? "");
  try {
    const value = await entry.value;
    if (value === null) entry.expiresAt = Math.min(entry.expiresAt, Date.now() + SAVED_GUARDRAIL_MISS_TTL_MS);
    return value;
  } catch (error) {
    if (cache.get(idOrSlug) === entry) cache.delete(idOrSlug);
    throw error;
  }
}

/** Forget a saved guardrail in this isolate (admin routes, after every change, with its id and its slug). */
export function invalidateSavedGuardrail(idOrSlug: string): void {
  cache.delete(idOrSlug);
}
