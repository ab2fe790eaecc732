import type { AdminScope } from "../../schema/db";

/**
 * Which scope each admin route needs: the one table of who may do what with an admin API key (ADMIN_TOKEN holds
 * every scope). `admin` grants everything, `read` every read-only route (and /metrics), `metrics` only /metrics.
 */
const GRANTS: Record<AdminScope, readonly AdminScope[]> = {
  admin: ["admin", "read", "metrics"],
  read: ["read", "metrics"],
  metrics: ["metrics"],
};

export const grants = (held: readonly AdminScope[], required: AdminScope): boolean =>
  held.some((scope) => GRANTS[scope].includes(required));

/**
 * Resources whose GETs a `read` key may call: they change nothing and return no secret (config bodies are
 * redacted, keys show their visible prefix only, audit details are identifiers). Anything not listed needs
 * `admin`, so a new route is admin-only until it is added here. Admin keys themselves (/admin/admin-keys) are
 * deliberately absent: a read-only dashboard has no business enumerating admin credentials.
 */
const READABLE_PREFIXES = [
  "/admin/configs",
  "/admin/guardrails",
  "/admin/prompts",
  "/admin/keys",
  "/admin/virtual-keys",
  "/admin/logs",
  "/admin/analytics",
  "/admin/cache/stats",
  "/admin/audit",
];

/** `path` is `prefix` or below it (`/admin/keys/abc`, never `/admin/keysfoo`). */
const under = (path: string, prefix: string): boolean => path === prefix || path.startsWith(`${prefix}/`);

export function requiredScope(method: string, path: string): AdminScope {
  if (under(path, "/metrics")) return "metrics";
  const reading = method === "GET" || method === "HEAD";
  return reading && READABLE_PREFIXES.some((prefix) => under(path, prefix)) ? "read" : "admin";
}
