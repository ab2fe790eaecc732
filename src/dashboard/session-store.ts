import { and, desc, eq, gt, isNull, lt } from "drizzle-orm";
import { dashboardSessions, type DashboardSessionRow } from "../../schema/db";
import { auditInsert } from "../storage/audit";
import type { Db } from "../storage/db";
import type { DashboardSession } from "./session";

/**
 * The D1 side of dashboard sessions: the signed cookie proves who signed in, the row says the session still
 * stands. Each isolate remembers a live answer for LIVE_CACHE_MS (a session revoked elsewhere is signed out within
 * that long; the isolate that revokes forgets at once), so browsing costs one D1 read per session every few
 * seconds, and last_seen_at is written at most once per LAST_SEEN_EVERY_MS.
 */
export const LIVE_CACHE_MS = 5_000;
const LAST_SEEN_EVERY_MS = 60_000;
const MAX_CACHED = 2_000;
const USER_AGENT_MAX = 256;

interface Cached {
  until: number;
  lastSeenAt: number;
}
const liveHere = new Map<string, Cached>();

export function createSessionRow(db: Db, session: DashboardSession, userAgent: string | undefined, now = Date.now()) {
  return db.insert(dashboardSessions).values({
    id: session.sid,
    role: session.role,
    actor: session.actor,
    createdAt: new Date(now),
    lastSeenAt: new Date(now),
    expiresAt: new Date(session.exp),
    userAgent: userAgent ? userAgent.slice(0, USER_AGENT_MAX) : null,
  });
}

/** True while the session's row exists, is not revoked and has not expired. */
export async function sessionIsLive(db: Db, sid: string, touch: (p: Promise<unknown>) => void, now = Date.now()) {
  const cached = liveHere.get(sid);
  if (cached && cached.until > now) return true;
  const row = await db.select().from(dashboardSessions).where(eq(dashboardSessions.id, sid)).get();
  if (!row || row.revokedAt !== null || row.expiresAt.getTime() <= now) {
    liveHere.delete(sid);
    return false;
  }
  let lastSeenAt = Math.max(row.lastSeenAt.getTime(), cached?.lastSeenAt ?? 0);
  if (now - lastSeenAt >= LAST_SEEN_EVERY_MS) {
    lastSeenAt = now;
    touch(
      db
        .update(dashboardSessions)
        .set({ lastSeenAt: new Date(now) })
        .where(eq(dashboardSessions.id, sid))
        .run(),
    );
  }
  liveHere.set(sid, { until: now + LIVE_CACHE_MS, lastSeenAt });
  if (liveHere.size > MAX_CACHED) liveHere.delete(liveHere.keys().next().value ?? sid);
  return true;
}

/** Active sessions, newest first (the Sessions page). */
export function listActiveSessions(db: Db, now = Date.now()): Promise<DashboardSessionRow[]> {
  return db
    .select()
    .from(dashboardSessions)
    .where(and(isNull(dashboardSessions.revokedAt), gt(dashboardSessions.expiresAt, new Date(now))))
    .orderBy(desc(dashboardSessions.createdAt))
    .limit(200)
    .all();
}

/**
 * Revokes one session and audits it, in one batch. `action` is "revoke" from the Sessions page, "sign_out" when a
 * session ends itself. Returns false when there was no active session with that id.
 */
export async function revokeSession(db: Db, sid: string, actor: string, action: "revoke" | "sign_out") {
  liveHere.delete(sid);
  const now = new Date();
  const updated = await db
    .update(dashboardSessions)
    .set({ revokedAt: now, revokedBy: actor })
    .where(and(eq(dashboardSessions.id, sid), isNull(dashboardSessions.revokedAt)))
    .returning({ id: dashboardSessions.id });
  if (updated.length === 0) return false;
  await auditInsert(db, { actor, action, resourceType: "dashboard_session", resourceId: sid, at: now }).run();
  return true;
}

/** Rows long expired or revoked are of no use to anyone: dropped when a session signs in (bounded table). */
export function pruneSessions(db: Db, now = Date.now()) {
  return db
    .delete(dashboardSessions)
    .where(lt(dashboardSessions.expiresAt, new Date(now - 7 * 86_400_000)))
    .run();
}
