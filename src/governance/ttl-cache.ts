/**
 * Isolate-memory cache for the request path: a hit is kept `ttlMs`, a miss (null) `missTtlMs`. Concurrent loads of
 * one key share a single promise (100 requests arriving together make one D1 read). Errors are never cached.
 * Bounded: past `maxEntries` the oldest entry goes first, so callers sending random keys cannot grow it.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { expiresAt: number; value: Promise<V | null> }>();

  constructor(
    private readonly options: { ttlMs: number; missTtlMs: number; maxEntries: number; now?: () => number },
  ) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  async get(key: string, load: () => Promise<V | null>): Promise<V | null> {
    const cached = this.entries.get(key);
    if (cached && cached.expiresAt > this.now()) return cached.value;
    const entry = { expiresAt: this.now() + this.options.ttlMs, value: load() };
    this.entries.delete(key); // re-insert so Map order stays oldest-first
    this.entries.set(key, entry);
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
    try {
      const value = await entry.value;
      if (value === null) entry.expiresAt = Math.min(entry.expiresAt, this.now() + this.options.missTtlMs);
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
