import { requestLogs } from "../../schema/db";
import type { Db } from "../admin/db";
import type { LogEvent } from "./event";
import { rollupStatements } from "./rollup-sql";
import { rowOf } from "./rows";

/**
 * Write a consumer batch in ONE D1 batch (a transaction): one insert per event (a row has ~50 columns and D1
 * binds at most 100 parameters per statement, so rows cannot share an INSERT), then the rollup upserts that
 * aggregate exactly the rows this batch inserted. Returns the ids actually inserted (not seen before).
 */
export async function writeEvents(db: Db, events: readonly LogEvent[], metadataKey: string | null): Promise<Set<string>> {
  const [first, ...rest] = events;
  if (!first) return new Set();
  const batchId = crypto.randomUUID();
  const insert = (event: LogEvent) =>
    db.insert(requestLogs).values(rowOf(event, batchId)).onConflictDoNothing().returning({ id: requestLogs.id });
  const results: unknown[] = await db.batch([insert(first), ...rest.map(insert), ...rollupStatements(db, batchId, metadataKey)]);
  const inserted = new Set<string>();
  for (const result of results.slice(0, events.length)) {
    if (!Array.isArray(result)) continue;
    for (const row of result) {
      if (typeof row === "object" && row !== null && "id" in row && typeof row.id === "string") inserted.add(row.id);
    }
  }
  return inserted;
}
