import { and, eq, gt } from "drizzle-orm";
import { storedResponses } from "../../schema/db";
import type { Db } from "./db";

/** One stored response, its JSON columns still as text (the pipeline parses what it reads). */
export type StoredResponseRow = typeof storedResponses.$inferSelect;

/** Rows deleted per statement by the retention sweep, so one run never holds D1 for long. */
const SWEEP_BATCH = 500;

/** Insert (or, for a retried write of the same response, replace) one stored response. */
export async function saveStoredResponse(db: Db, row: StoredResponseRow): Promise<void> {
  await db
    .insert(storedResponses)
    .values(row)
    .onConflictDoUpdate({
      target: [storedResponses.scope, storedResponses.id],
      set: { response: row.response, expiresAt: row.expiresAt },
    });
}

/** The tenant's response by id, unless expired (a row past its expiry is gone for readers before the sweep runs). */
export async function loadStoredResponse(
  db: Db,
  scope: string,
  id: string,
  now = Date.now(),
): Promise<StoredResponseRow | null> {
  const rows = await db
    .select()
    .from(storedResponses)
    .where(
      and(eq(storedResponses.scope, scope), eq(storedResponses.id, id), gt(storedResponses.expiresAt, new Date(now))),
    )
    .limit(1);
  return rows[0] ?? null;
}

/** Deletes the tenant's response; false when it had none by that id. */
export async function deleteStoredResponse(db: Db, scope: string, id: string): Promise<boolean> {
  const deleted = await db
    .delete(storedResponses)
    .where(and(eq(storedResponses.scope, scope), eq(storedResponses.id, id)))
    .returning({ id: storedResponses.id });
  return deleted.length > 0;
}

/** The retention sweep: deletes expired rows in batches; returns how many went. */
export async function deleteExpiredResponses(d1: D1Database, now = Date.now()): Promise<number> {
  let total = 0;
  for (;;) {
    // SQLite in D1 has no DELETE ... LIMIT: delete the rowids of one batch of expired rows.
    const result = await d1
      .prepare(
        "DELETE FROM stored_responses WHERE rowid IN (SELECT rowid FROM stored_responses WHERE expires_at <= ? LIMIT ?)",
      )
      .bind(now, SWEEP_BATCH)
      .run();
    const changes = result.meta.changes;
    total += changes;
    if (changes < SWEEP_BATCH) return total;
  }
}
