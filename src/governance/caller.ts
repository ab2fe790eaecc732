import type { AppContext } from "../context";
import type { GatewayKeyRecord } from "./records";

/** Who is calling: the authenticated gateway key (set by gatewayAuth) for the rest of the request. */
export interface Caller {
  key: GatewayKeyRecord;
  /** The key came in `Authorization`, so that header carries no provider key to pass on. */
  fromAuthorization: boolean;
}

// A typed Hono variable, declared here rather than in src/context.ts so the kernel needs no governance type.
declare module "hono" {
  interface ContextVariableMap {
    /** The request's gateway key; unset in passthrough mode without one. */
    caller?: Caller;
  }
}

export function setCaller(c: AppContext, caller: Caller): void {
  c.set("caller", caller);
}

/** The gateway key of this request; null in passthrough mode without one. */
export function callerOf(c: AppContext): Caller | null {
  return c.var.caller ?? null;
}
