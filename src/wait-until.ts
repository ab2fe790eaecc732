import type { AppContext } from "./context";

/**
 * The request's waitUntil, for work that must finish after the response (settlement, cache writes, log events).
 * Without an execution context (some test setups call the app directly) the promise runs unattended.
 */
export function waitUntilOf(c: AppContext): (promise: Promise<unknown>) => void {
  try {
    const ctx = c.executionCtx;
    return (promise) => ctx.waitUntil(promise);
  } catch {
    return (promise) => void promise.catch(() => {});
  }
}
