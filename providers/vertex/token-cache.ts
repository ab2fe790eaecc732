import type { ServiceAccount } from "./service-account";
import { signAssertion } from "./jwt";
import { exchangeAssertion } from "./token-endpoint";

/**
 * Access tokens per isolate. A token is reused until REFRESH_MARGIN_MS before it expires (Google's last an hour,
 * so one exchange per account per isolate per ~55 minutes), and concurrent requests that miss share the one
 * exchange in flight (the entry holds the promise). A failed exchange is forgotten at once, so the next request
 * tries again.
 *
 * The cache key is a SHA-256 digest of the token URL, the account's email, its key id and its private key: never
 * the key itself, and never the email alone, so a caller who only knows an account's email (or key id) cannot be
 * handed the token minted with someone else's key.
 */

export const REFRESH_MARGIN_MS = 5 * 60_000;
/** A bound on distinct accounts per isolate: the oldest entry goes first. */
const MAX_ENTRIES = 256;

interface Entry {
  token: Promise<string>;
  /** Epoch ms after which the entry must not be used; Infinity while the exchange is in flight. */
  refreshAt: number;
}

export type Clock = () => number;

async function cacheKey(account: ServiceAccount, tokenUrl: string): Promise<string> {
  const material = JSON.stringify([tokenUrl, account.clientEmail, account.privateKeyId ?? "", account.privateKey]);
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(material));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

export class AccessTokenCache {
  private readonly entries = new Map<string, Entry>();

  /** `now` is injectable so tests can move time; it also dates the assertion's iat/exp. */
  constructor(private readonly now: Clock = Date.now) {}

  async token(account: ServiceAccount, tokenUrl: string): Promise<string> {
    const key = await cacheKey(account, tokenUrl);
    // From here to the set() below nothing awaits: two concurrent misses cannot both start an exchange.
    const cached = this.entries.get(key);
    if (cached && this.now() < cached.refreshAt) return cached.token;
    const entry: Entry = { token: Promise.resolve(""), refreshAt: Number.POSITIVE_INFINITY };
    entry.token = this.exchange(account, tokenUrl, key, entry);
    this.remember(key, entry);
    return entry.token;
  }

  /** How many accounts hold a token or an exchange in flight (for tests). */
  get size(): number {
    return this.entries.size;
  }

  private async exchange(account: ServiceAccount, tokenUrl: string, key: string, entry: Entry): Promise<string> {
    const startedAt = this.now();
    try {
      const assertion = await signAssertion(account, Math.floor(startedAt / 1000));
      const { token, expiresIn } = await exchangeAssertion(tokenUrl, assertion);
      // Measured from before the exchange: the token cannot outlive what Google granted.
      entry.refreshAt = startedAt + expiresIn * 1000 - REFRESH_MARGIN_MS;
      return token;
    } catch (error) {
      if (this.entries.get(key) === entry) this.entries.delete(key);
      throw error;
    }
  }

  private remember(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }
}

/** The isolate's cache: module scope lives as long as the isolate, which is exactly the reuse we want. */
export const isolateTokenCache = new AccessTokenCache();
