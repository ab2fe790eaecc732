import type { LogEvent } from "./event";

/** Queue messages are limited to 128 KB; leave room for the envelope. */
export const MAX_EVENT_BYTES = 120_000;
const MAX_METADATA_VALUE_CHARS = 256;
const MAX_ATTEMPTS_WHEN_OVERSIZED = 20;

const sizeOf = (event: LogEvent): number => new TextEncoder().encode(JSON.stringify(event)).byteLength;

/**
 * An event that fits in one message. Bodies go first (the event is worth more than its bodies, and `truncated`
 * says they were dropped), then long metadata values and a very long attempt trail are clipped.
 */
export function fitEvent(event: LogEvent): LogEvent {
  if (sizeOf(event) <= MAX_EVENT_BYTES) return event;
  let fitted: LogEvent = event.bodies ? { ...event, bodies: { request: null, response: null, truncated: true } } : event;
  if (sizeOf(fitted) <= MAX_EVENT_BYTES) return fitted;
  const metadata = Object.fromEntries(Object.entries(fitted.metadata).map(([k, v]) => [k, v.slice(0, MAX_METADATA_VALUE_CHARS)]));
  fitted = { ...fitted, metadata, attempts: fitted.attempts.slice(-MAX_ATTEMPTS_WHEN_OVERSIZED) };
  return fitted;
}

let warnedMissingQueue = false;

/** Enqueue one event (one retry: a lost event is a hole in the books). Never throws. */
export async function sendEvent(env: Env, event: LogEvent): Promise<boolean> {
  const queue: Queue | undefined = env.LOG_QUEUE;
  if (!queue) {
    if (!warnedMissingQueue) console.warn("LOG_QUEUE binding missing: request logs are off");
    warnedMissingQueue = true;
    return false;
  }
  const body = fitEvent(event);
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
