/**
 * Responses the cache answered itself (HIT or SEMANTIC HIT). The routing engine asks, so that a hit is not taken
 * for a provider's answer: it never reaches the circuit breaker (a hit on a half-open target must not close the
 * circuit without a real probe) and the attempt trail says the try was served from cache. A WeakSet rather than a
 * header: nothing the client sees, nothing a provider could forge. No imports, so the engine can depend on it.
 */
const servedFromCache = new WeakSet<Response>();

export function markServedFromCache<T extends Response>(response: T): T {
  servedFromCache.add(response);
  return response;
}

export function isServedFromCache(response: Response): boolean {
  return servedFromCache.has(response);
}
