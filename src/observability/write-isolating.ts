import type { Db } from "../storage/db";
import type { LogEvent } from "./event";
import { writeEvents } from "./store";

/**
 * D1 batches one consumer batch may spend isolating what D1 refuses. Finding one bad event among 100 takes about
 * 15; a D1 outage costs this many failed calls per delivery rather than one per event.
 */
export const MAX_D1_BATCHES = 24;

export interface IsolatedWrite<T> {
  /** Written (or found already written): their rows and rollups are committed. */
  written: T[];
  /** Not written: the caller retries them. */
  failed: T[];
  /** Event ids inserted now (not seen before). */
  inserted: Set<string>;
}

/**
 * Write the events in one D1 batch; if D1 refuses it (a transaction: nothing of it is kept), write each half on
 * its own, down to single events. One event D1 cannot take then holds back only itself, and the good ones of its
 * batch land now instead of sharing its retries and its way to the dead-letter queue.
 */
export async function writeIsolating<T extends { event: LogEvent; message: { id: string } }>(
  db: Db,
  items: readonly T[],
  metadataKey: string | null,
): Promise<IsolatedWrite<T>> {
  const result: IsolatedWrite<T> = { written: [], failed: [], inserted: new Set() };
  let batchesLeft = MAX_D1_BATCHES;
  const write = async (part: readonly T[]): Promise<void> => {
    if (batchesLeft <= 0) {
      result.failed.push(...part);
      return;
    }
    batchesLeft--;
    try {
      for (const id of await writeEvents(
        db,
        part.map((item) => item.event),
        metadataKey,
      ))
        result.inserted.add(id);
      result.written.push(...part);
    } catch (error) {
      const [only] = part;
      if (part.length === 1 && only) {
        console.error(`log message ${only.message.id} (event ${only.event.id}) not written; retrying it`, error);
        result.failed.push(only);
        return;
      }
      const middle = Math.ceil(part.length / 2);
      await write(part.slice(0, middle));
      await write(part.slice(middle));
    }
  };
  await write(items);
  if (batchesLeft <= 0 && result.failed.length > 1)
    console.error(`log batch: D1 refused ${result.failed.length} messages; retrying them`);
  return result;
}
