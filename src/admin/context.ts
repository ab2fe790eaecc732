import type { Context } from "hono";
import type { AppVariables } from "../context";

export interface AdminVariables extends AppVariables {
  /**
   * Who is calling, for the audit log: set by adminAuth(), never the token itself. Optional only so that an admin
   * context is still an AppContext (readJsonBody and friends take one); read it through adminActor(c).
   */
  adminActor?: string;
}

/** Hono env of everything mounted under /admin (after adminAuth()). */
export interface AdminEnv {
  Bindings: Env;
  Variables: AdminVariables;
}

export type AdminContext = Context<AdminEnv>;
