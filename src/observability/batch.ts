import type { LogEvent } from "./event";

/**
 * Log events leave the isolate in batches: one Queue `sendBatch` per BATCH_WINDOW_MS (or sooner, once a batch is
 * as big as Queues allow) instead of one `send` per request. A send costs the Worker about as much CPU as a small
 * request does (measured in bench/), so under load this is most of what logging costs; a batch of 20 costs about
 * what one send did.
 *
 * Nothing is left behind in memory: every request's waitUntil waits for the flush that carries its event, and the
 * flush runs in the context of a request that is still alive (the one whose event opened the batch, by timer, or
 * the one whose event filled it). Each request awaits a promise of its own, so its continuation runs in its own
 * context.
 */
export const BATCH_WINDOW_MS = 50;
/** Queues' sendBatch limits: 100 messages and 256 KB in all. */
const MAX_MESSAGES = 100;
const MAX_BYTES = 250_000;

interface Pending {
  body: LogEvent;
  bytes: number;
  settle: (sent: boolean) => void;
}

interface Batch {
  items: Pending[];
  bytes: number;
  flushed: boolean;
}

let open: Batch | null = null;

async function send(queue: Queue, items: readonly Pending[]): Promise<boolean> {
  const messages = items.map((item) => ({ body: item.body, contentType: "json" as const }));
  for (let attempt = 1; ; attempt++) {
    try {
      await queue.sendBatch(messages);
      return true;
    } catch (error) {
      if (attempt >= 2) {
        // Identifiers only: the events themselves may hold bodies.
        const ids = items.map((item) => `${item.body.id} (trace ${item.body.trace_id})`).join(", ");
        console.error(`request log events could not be enqueued: ${ids}`, error);
        return false;
      }
    }
  }
}

function flush(queue: Queue, batch: Batch): Promise<void> {
  if (batch.flushed) return Promise.resolve();
  batch.flushed = true;
  if (open === batch) open = null;
  return send(queue, batch.items).then((sent) => {
    for (const item of batch.items) item.settle(sent);
  });
}

/** Add one event (already fitted to one message of `bytes`) to the isolate's batch; resolves once it is sent. */
export function enqueueEvent(queue: Queue, body: LogEvent, bytes: number): Promise<boolean> {
  // A batch this event would overflow is closed to newcomers; its opener's timer still sends it.
  if (open && open.bytes + bytes > MAX_BYTES) open = null;
  const opener = open === null;
  const batch: Batch = open ?? { items: [], bytes: 0, flushed: false };
  open = batch;
  const sent = new Promise<boolean>((settle) => batch.items.push({ body, bytes, settle }));
  batch.bytes += bytes;
  // The event that fills a batch sends it, from its own request (alive until the send is done).
  if (batch.items.length >= MAX_MESSAGES) return flush(queue, batch).then(() => sent);
  if (!opener) return sent;
  // The opener's timer sends the batch; the opener is alive until then, since its own event is in it.
  return new Promise<void>((resolve) => setTimeout(resolve, BATCH_WINDOW_MS))
    .then(() => flush(queue, batch))
    .then(() => sent);
}
