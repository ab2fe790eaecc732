import type { Context } from "hono";
import type { AppVariables } from "../context";
import type { DashboardSession } from "./session";

export interface DashboardVariables extends AppVariables {
  /** Set by requireSession() on every page but sign-in. */
  session?: DashboardSession;
  /** The session's CSRF token, for the forms a page renders. */
  csrf?: string;
}

export interface DashboardEnv {
  Bindings: Env;
  Variables: DashboardVariables;
}

export type DashboardContext = Context<DashboardEnv>;

/** The signed-in session (requireSession() has run for every page but sign-in). */
export function sessionOf(c: DashboardContext): { session: DashboardSession; csrf: string } {
  const { session, csrf } = c.var;
  if (!session || csrf === undefined) throw new Error("dashboard page reached without requireSession()"); // wiring bug
  return { session, csrf };
}
