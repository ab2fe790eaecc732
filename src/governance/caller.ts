import type { AppContext } from "../context";
import type { GatewayKeyRecord } from "./records";

/** Who is calling: the authenticated gateway key (set by gatewayAuth) for the rest of the request. */
export interface Caller {
  key: GatewayKeyRecord;
  /** The key came in `Authorization`, so that header carries no provider key to pass on. */
  fromAuthorization: boolean;
}

// Keyed by the request object rather than a Hono variable, so governance needs no field in the shared AppVariables.
const callers = new WeakMap<Request, Caller>();

export function setCaller(c: AppContext, caller: Caller): void {
  callers.set(c.req.raw, caller);
}

/** The gateway key of this request; null in passthrough mode without one. */
export function callerOf(c: AppContext): Caller | null {
  return callers.get(c.req.raw) ?? null;
}
