import type { LogEvent } from "./event";
import { enqueueEvent } from "./batch";
import { fitted } from "./fit";

let warnedMissingQueue = false;

/**
 * Enqueue one event (batched per isolate, batch.ts; one retry: a lost event is a hole in the books), first made
 * small enough for one message by clipping, never by dropping it (the consumer cuts anything else over a schema
 * limit, fit.ts conformEvent). Never throws.
 */
export async function sendEvent(env: Env, event: LogEvent): Promise<boolean> {
  const queue: Queue | undefined = env.LOG_QUEUE;
  if (!queue) {
    if (!warnedMissingQueue) console.warn("LOG_QUEUE binding missing: request logs are off");
    warnedMissingQueue = true;
    return false;
  }
  const { text, bytes } = fitted(event);
  return enqueueEvent(queue, { id: event.id, traceId: event.trace_id, text, bytes });
}
