import { openDb } from "../storage/db";
import { sendBudgetAlerts } from "./alerts";
import { d1BudgetSource, type BudgetSource } from "./budget-source";
import type { LogEvent } from "./event";
import { conformEvent, invalidReason } from "./fit";
import { exportTraces, RetryableExportError } from "./otlp-export";
import { analyticsMetadataKey } from "./settings";
import { writeIsolating } from "./write-isolating";

export interface ConsumerDeps {
  budgets?: BudgetSource;
  now?: () => number;
}

interface Delivery {
  message: Message<unknown>;
  event: LogEvent;
}

const MAX_RETRY_DELAY_S = 300;
/** 10 s, 20 s, 40 s ... capped: a D1 or collector outage is waited out rather than hammered. */
export const retryDelay = (attempts: number): number =>
  Math.min(MAX_RETRY_DELAY_S, 10 * 2 ** Math.max(0, attempts - 1));

/** Events are sent as JSON text (batch.ts); a message sent as JSON arrives parsed already. */
function bodyOf(message: Message<unknown>): unknown {
  if (typeof message.body !== "string") return message.body;
  try {
    return JSON.parse(message.body) as unknown;
  } catch {
    return message.body;
  }
}

function parse(batch: MessageBatch<unknown>): Delivery[] {
  const deliveries: Delivery[] = [];
  for (const message of batch.messages) {
    const event = conformEvent(bodyOf(message));
    if (event) {
      deliveries.push({ message, event });
      continue;
    }
    // Retrying cannot fix a malformed message: say why (no content: it may hold bodies) and drop it.
    console.error(`dropping malformed log message ${message.id}: ${invalidReason(bodyOf(message))}`);
    message.ack();
  }
  return deliveries;
}

/**
 * The LOG_QUEUE consumer: validate, write the batch to D1 (logs and rollups in one transaction, idempotent on the
 * event id), then export spans and fire budget alerts. A batch D1 refuses is split until the events it can take
 * are written; what it still refuses is retried with a growing delay (after max_retries it goes to the dead-letter
 * queue). An export failure that may pass retries only the affected messages,
 * whose second write is a no-op. Spans are exported for new rows, and again for redelivered messages, since a
 * redelivery may be the retry of a failed export (span ids are derived from the event, so a repeat is a duplicate,
 * not a new request).
 */
export async function consumeLogBatch(batch: MessageBatch<unknown>, env: Env, deps: ConsumerDeps = {}): Promise<void> {
  const deliveries = parse(batch);
  if (deliveries.length === 0) return;
  const db = openDb(env);
  const { written, failed, inserted } = await writeIsolating(db, deliveries, analyticsMetadataKey(env));
  for (const { message } of failed) message.retry({ delaySeconds: retryDelay(message.attempts) });
  if (written.length === 0) return;

  const toExport = written.filter((d) => inserted.has(d.event.id) || d.message.attempts > 1);
  let exported = true;
  try {
    await exportTraces(
      env,
      toExport.map((d) => d.event),
    );
  } catch (error) {
    // Only a failure that may pass is retried; anything else would fail again on every redelivery.
    exported = !(error instanceof RetryableExportError);
    console.error(`OTLP export of ${toExport.length} requests failed${exported ? "" : "; retrying them"}`, error);
  }

  try {
    // Every written event, redeliveries included: a consumer that died after the D1 commit never checked their keys.
    await sendBudgetAlerts(
      db,
      env,
      written.map((d) => d.event),
      deps.budgets ?? d1BudgetSource(db, deps.now),
      deps.now?.(),
    );
  } catch (error) {
    // The spend is recorded; the next batch of the same key checks the thresholds again.
    console.error("budget alerts failed", error);
  }

  const retry = new Set(exported ? [] : toExport.map((d) => d.message));
  for (const { message } of written) {
    if (retry.has(message)) message.retry({ delaySeconds: retryDelay(message.attempts) });
    else message.ack();
  }
}
