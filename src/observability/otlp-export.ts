import { effectiveModel } from "./build";
import type { LogEvent } from "./event";
import { spansOf, tracesPayload } from "./otlp";
import { otlpHeaders, otlpTracesUrl } from "./settings";

const EXPORT_TIMEOUT_MS = 10_000;
/** The statuses OTLP/HTTP says to retry; any other failure status is final (the spec forbids retrying it). */
const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/** An export that may work later (collector busy or unreachable): the consumer retries its messages. */
export class RetryableExportError extends Error {
  override readonly name = "RetryableExportError";
}

/**
 * POST the spans of `events` to OTEL_EXPORTER_OTLP_ENDPOINT (OTLP/HTTP JSON). Off when the var is empty. Throws
 * RetryableExportError on a network error, a timeout or a 429/502/503/504. A collector that refuses the spans for
 * good (400, 401, 413, 500 ...) is logged and not retried: the requests are in D1 already, and sending the same
 * payload again would fail the same way until the messages land in the dead-letter queue for nothing.
 */
export async function exportTraces(env: Env, events: readonly LogEvent[]): Promise<void> {
  const url = otlpTracesUrl(env);
  if (!url || events.length === 0) return;
  const host = new URL(url).host;
  const spans = (await Promise.all(events.map((event) => spansOf(event, effectiveModel(event))))).flat();
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { ...otlpHeaders(env), "content-type": "application/json" },
      body: JSON.stringify(tracesPayload(spans)),
      signal: AbortSignal.timeout(EXPORT_TIMEOUT_MS),
    });
  } catch (error) {
    throw new RetryableExportError(
      `OTLP export to ${host} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  // Drain the body either way so the connection can be reused.
  const text = await response.text().catch(() => "");
  if (response.ok) return;
  const failure = `OTLP export to ${host} failed: ${response.status} ${text.slice(0, 200)}`;
  if (RETRYABLE_STATUSES.has(response.status)) throw new RetryableExportError(failure);
  console.error(`${failure}; ${spans.length} spans dropped, not retried`);
}
