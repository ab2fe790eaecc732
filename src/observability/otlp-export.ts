import { effectiveModel } from "./build";
import type { LogEvent } from "./event";
import { spansOf, tracesPayload } from "./otlp";
import { otlpHeaders, otlpTracesUrl } from "./settings";

const EXPORT_TIMEOUT_MS = 10_000;

/**
 * POST the spans of `events` to OTEL_EXPORTER_OTLP_ENDPOINT (OTLP/HTTP JSON). Off when the var is empty. Throws
 * when the collector does not take them, so the consumer can retry those messages.
 */
export async function exportTraces(env: Env, events: readonly LogEvent[]): Promise<void> {
  const url = otlpTracesUrl(env);
  if (!url || events.length === 0) return;
  const spans = (await Promise.all(events.map((event) => spansOf(event, effectiveModel(event))))).flat();
  const response = await fetch(url, {
    method: "POST",
    headers: { ...otlpHeaders(env), "content-type": "application/json" },
    body: JSON.stringify(tracesPayload(spans)),
    signal: AbortSignal.timeout(EXPORT_TIMEOUT_MS),
  });
  // Drain the body either way so the connection can be reused.
  const text = await response.text().catch(() => "");
  if (!response.ok) throw new Error(`OTLP export to ${new URL(url).host} failed: ${response.status} ${text.slice(0, 200)}`);
}
