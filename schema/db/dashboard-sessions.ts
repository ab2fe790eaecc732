import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Dashboard sessions (src/dashboard/session-store.ts): one row per sign-in, so a session can be listed and revoked
 * before its cookie expires. The cookie carries the row's id (signed); a request is served only while the row
 * exists, is not revoked and has not expired. No column holds a token.
 */
export const dashboardSessions = sqliteTable(
  "dashboard_sessions",
  {
    /** The random session id the signed cookie carries (CSRF tokens are bound to it). */
    id: text("id").primaryKey(),
    /** "admin" or "read". */
    role: text("role").notNull(),
    /** The audit identity that signed in (admin:<hash8> or admin-key:<id>). */
    actor: text("actor").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    /** Updated at most once a minute per session, so browsing costs no write per page. */
    lastSeenAt: integer("last_seen_at", { mode: "timestamp_ms" }).notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    /** The browser's User-Agent at sign-in (capped), so people can tell their sessions apart. */
    userAgent: text("user_agent"),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
    /** Who revoked it: the actor of the revoking session (itself on sign-out). */
    revokedBy: text("revoked_by"),
  },
  // The Sessions page: active sessions, newest first.
  (t) => [index("dashboard_sessions_expires_idx").on(t.expiresAt)],
);

export type DashboardSessionRow = typeof dashboardSessions.$inferSelect;
