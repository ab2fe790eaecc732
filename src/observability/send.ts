import type { LogEvent } from "./event";
import { enqueueEvent } from "./batch";
import { conformEvent, fitted } from "./fit";

let warnedMissingQueue = false;

/**
 * Enqueue one event (batched per isolate, batch.ts; one retry: a lost event is a hole in the books). It is first
 * made valid for the consumer's schema and small enough for one message, by clipping, never by dropping it.
 * Never throws.
 */
export async function sendEvent(env: Env, event: LogEvent): Promise<boolean> {
  const queue: Queue | undefined = env.LOG_QUEUE;
  if (!queue) {
    if (!warnedMissingQueue) console.warn("LOG_QUEUE binding missing: request logs are off");
    warnedMissingQueue = true;
    return false;
  }
  const message = fitted(conformEvent(event));
  return enqueueEvent(queue, message.event, message.bytes);
}
