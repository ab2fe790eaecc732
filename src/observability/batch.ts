/** An event as sent: its JSON text (a `text` message the consumer parses) and what the consumer logs of it. */
export interface OutgoingEvent {
  id: string;
  traceId: string;
  text: string;
  bytes: number;
}

/**
 * Log events leave the isolate in batches: one Queue `sendBatch` per BATCH_WINDOW_MS (or sooner, once a batch is
 * as big as Queues allow) instead of one `send` per request. A send costs the Worker about as much CPU as a small
 * request does (measured in bench/), so under load this is most of what logging costs; a batch of 20 costs about
 * what one send did.
 *
 * Who sends: the request whose event opens a batch keeps its waitUntil open for the window and sends the batch from
 * its own context (its timer is pending I/O there, so workerd keeps it alive); the request whose event fills a batch
 * sends it at once. Every other request only adds its event and is done: workerd cancels a waitUntil that waits
 * on a promise only another request can settle, so they must not wait for the send. Their events are safe all the
 * same: they are in a batch whose sender is alive in the same isolate.
 */
export const BATCH_WINDOW_MS = 50;
/** Queues' sendBatch limits: 100 messages and 256 KB in all. */
const MAX_MESSAGES = 100;
const MAX_BYTES = 250_000;

interface Batch {
  events: OutgoingEvent[];
  bytes: number;
  sending: Promise<boolean> | null;
}

let open: Batch | null = null;

async function send(queue: Queue, events: readonly OutgoingEvent[]): Promise<boolean> {
  const messages = events.map((event) => ({ body: event.text, contentType: "text" as const }));
  for (let attempt = 1; ; attempt++) {
    try {
      await queue.sendBatch(messages);
      return true;
    } catch (error) {
      if (attempt >= 2) {
        // Identifiers only: the events themselves may hold bodies.
        const ids = events.map((event) => `${event.id} (trace ${event.traceId})`).join(", ");
        console.error(`request log events could not be enqueued: ${ids}`, error);
        return false;
      }
    }
  }
}

/** Send a batch once (the opener's timer and the filler may both ask). */
function flush(queue: Queue, batch: Batch): Promise<boolean> {
  if (open === batch) open = null;
  batch.sending ??= send(queue, batch.events);
  return batch.sending;
}

/**
 * Add one event (already fitted to one message) to the isolate's batch. Resolves when this request's part is
 * done: for the opener and the filler, once the batch is sent (true if it was); for the others at once.
 */
export async function enqueueEvent(queue: Queue, event: OutgoingEvent): Promise<boolean> {
  // A batch this event would overflow is closed to newcomers; its opener's timer still sends it.
  if (open && open.bytes + event.bytes > MAX_BYTES) open = null;
  const opener = open === null;
  const batch: Batch = open ?? { events: [], bytes: 0, sending: null };
  open = batch;
  batch.events.push(event);
  batch.bytes += event.bytes;
  if (batch.events.length >= MAX_MESSAGES) return flush(queue, batch);
  if (!opener) return true;
  await new Promise<void>((resolve) => setTimeout(resolve, BATCH_WINDOW_MS));
  return flush(queue, batch);
}
