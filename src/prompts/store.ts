import { openDb } from "../storage/db";
import { findPrompt, findPromptVersion, listLabelRows } from "./repository";
import { sharesOf, versionOf } from "./stored";
import type { PromptSnapshot, PromptVersion } from "./types";

/**
 * Prompts for the request path, cached in isolate memory like saved configs (src/configs/store.ts): a prompt with
 * its labels for PROMPT_TTL_MS (a miss for PROMPT_MISS_TTL_MS), versions for VERSION_TTL_MS (they never change).
 * The admin routes call invalidatePrompt after every write, so the isolate that moved a label runs the new version
 * at once; other isolates within the TTL. Concurrent loads share one D1 read; errors are never cached.
 */
export const PROMPT_TTL_MS = 30_000;
export const PROMPT_MISS_TTL_MS = 5_000;
export const VERSION_TTL_MS = 300_000;
const MAX_ENTRIES = 512;

interface Entry<T> {
  expiresAt: number;
  value: Promise<T>;
}

class TtlCache<T> {
  private readonly entries = new Map<string, Entry<T>>();

  async get(key: string, ttlMs: number, load: () => Promise<T>, missTtlMs = ttlMs): Promise<T> {
    const now = Date.now();
    const cached = this.entries.get(key);
    if (cached && cached.expiresAt > now) return cached.value;
    const entry: Entry<T> = { expiresAt: now + ttlMs, value: load() };
    this.entries.delete(key); // re-insert: Map order stays oldest-first for eviction
    this.entries.set(key, entry);
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= MAX_ENTRIES) break;
      this.entries.delete(oldest);
    }
    try {
      const value = await entry.value;
      if (value === null) entry.expiresAt = Math.min(entry.expiresAt, Date.now() + missTtlMs);
      return value;
    } catch (error) {
      if (this.entries.get(key) === entry) this.entries.delete(key);
      throw error;
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}

const snapshots = new TtlCache<PromptSnapshot | null>();
const versions = new TtlCache<PromptVersion | null>();

async function fetchSnapshot(env: Env, key: string): Promise<PromptSnapshot | null> {
  const db = openDb(env);
  const row = await findPrompt(db, key);
  if (!row || row.archived) return null;
  const labels = new Map((await listLabelRows(db, row.id)).map((label) => [label.label, sharesOf(label)]));
  return Object.freeze({ id: row.id, slug: row.slug, latestVersion: row.latestVersion, labels });
}

async function fetchVersion(env: Env, promptId: string, version: number): Promise<PromptVersion | null> {
  const row = await findPromptVersion(openDb(env), promptId, version);
  return row ? Object.freeze(versionOf(row)) : null;
}

/** A live prompt and its labels, by slug or id; null when there is none. Shared: do not mutate. */
export function loadPrompt(env: Env, key: string): Promise<PromptSnapshot | null> {
  return snapshots.get(key, PROMPT_TTL_MS, () => fetchSnapshot(env, key), PROMPT_MISS_TTL_MS);
}

/** One version of a prompt (immutable once written, hence the longer TTL). Shared: do not mutate. */
export function loadPromptVersion(env: Env, promptId: string, version: number): Promise<PromptVersion | null> {
  return versions.get(
    `${promptId}@${version}`,
    VERSION_TTL_MS,
    () => fetchVersion(env, promptId, version),
    PROMPT_MISS_TTL_MS,
  );
}

/** Forget a prompt in this isolate (after every admin write), by id and by slug. Versions never change. */
export function invalidatePrompt(prompt: { id: string; slug: string }): void {
  snapshots.delete(prompt.id);
  snapshots.delete(prompt.slug);
}

/** For tests: start from empty caches. */
export function clearPromptCache(): void {
  snapshots.clear();
  versions.clear();
}
