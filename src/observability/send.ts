import type { LogEvent } from "./event";
import { conformEvent, fitEvent } from "./fit";

let warnedMissingQueue = false;

/**
 * Enqueue one event (one retry: a lost event is a hole in the books). It is first made valid for the consumer's
 * schema and small enough for one message, by clipping, never by dropping it. Never throws.
 */
export async function sendEvent(env: Env, event: LogEvent): Promise<boolean> {
  const queue: Queue | undefined = env.LOG_QUEUE;
  if (!queue) {
    if (!warnedMissingQueue) console.warn("LOG_QUEUE binding missing: request logs are off");
    warnedMissingQueue = true;
    return false;
  }
  const body = fitEvent(conformEvent(event));
  for (let attempt = 1; ; attempt++) {
    try {
      await queue.send(body, { contentType: "json" });
      return true;
    } catch (error) {
      if (attempt >= 2) {
        // Identifiers only: the event itself may hold bodies.
        console.error(`request log event ${event.id} (trace ${event.trace_id}) could not be enqueued`, error);
        return false;
      }
    }
  }
}
