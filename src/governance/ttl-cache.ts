/**
 * Isolate-memory cache for the request path: a hit is kept `ttlMs`, a miss (null) `missTtlMs`. Concurrent loads of
 * one key share a single promise (100 requests arriving together make one D1 read). Errors are never cached.
 * Bounded: past `maxEntries` the oldest entry goes first. Misses are kept apart, in their own bounded map, so
 * callers sending random keys can neither grow the cache nor push real keys out of it.
 */
interface Entry<V> {
  expiresAt: number;
  value: Promise<V | null>;
}

export class TtlCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly misses = new Map<string, number>();

  constructor(private readonly options: { ttlMs: number; missTtlMs: number; maxEntries: number; now?: () => number }) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  async get(key: string, load: () => Promise<V | null>): Promise<V | null> {
    const now = this.now();
    const missUntil = this.misses.get(key);
    if (missUntil !== undefined && missUntil > now) return null;
    const cached = this.entries.get(key);
    if (cached && cached.expiresAt > now) return cached.value;
    const entry = { expiresAt: now + this.options.ttlMs, value: load() };
    insert(this.entries, key, entry, this.options.maxEntries);
    try {
      const value = await entry.value;
      if (value === null && this.entries.get(key) === entry) {
        this.entries.delete(key);
        insert(this.misses, key, this.now() + this.options.missTtlMs, this.options.maxEntries);
      }
      return value;
    } catch (error) {
      if (this.entries.get(key) === entry) this.entries.delete(key);
      throw error;
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
    this.misses.delete(key);
  }

  clear(): void {
    this.entries.clear();
    this.misses.clear();
  }
}

/** Insert as the newest (Map order is insertion order), dropping the oldest past `max`. */
function insert<T>(map: Map<string, T>, key: string, value: T, max: number): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > max) {
    const oldest = map.keys().next();
    if (oldest.done) break;
    map.delete(oldest.value);
  }
}
