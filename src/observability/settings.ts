/**
 * The observability vars (wrangler.toml [vars]) and secret, parsed once per use. A bad value falls back to the
 * documented default instead of failing a request or a consumer batch: logging must never take the gateway down.
 */

export const DEFAULT_BODY_MAX_BYTES = 16_384;
/**
 * A queue message holds at most 128 KB: two bodies of 48 KB plus the rest of the event stay under it, and the
 * sender drops bodies rather than the event if something else (metadata, a long trail) still pushes it over.
 */
const MAX_BODY_MAX_BYTES = 49_152;
const MIN_BODY_MAX_BYTES = 256;
export const DEFAULT_ALERT_THRESHOLDS = [50, 80, 100];
/** Metadata keys usable as an analytics dimension: they end up in a JSON path and a dimension name. */
export const METADATA_KEY_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

export function bodyMaxBytes(env: Env): number {
  const configured = Number(env.LOG_BODY_MAX_BYTES);
  if (!Number.isInteger(configured) || configured <= 0) return DEFAULT_BODY_MAX_BYTES;
  return Math.min(MAX_BODY_MAX_BYTES, Math.max(MIN_BODY_MAX_BYTES, configured));
}

export const logBodiesGlobally = (env: Env): boolean => env.LOG_BODIES === "true";

/** The metadata key rolled up for analytics, or null when unset or unusable. */
export function analyticsMetadataKey(env: Env): string | null {
  const key = env.ANALYTICS_METADATA_KEY?.trim();
  return key && METADATA_KEY_PATTERN.test(key) ? key : null;
}

/** Percentages, ascending, deduplicated; anything unparsable is skipped. */
export function alertThresholds(env: Env): number[] {
  const raw = env.BUDGET_ALERT_THRESHOLDS?.trim();
  if (!raw) return DEFAULT_ALERT_THRESHOLDS;
  const parsed = raw
    .split(",")
    .map((part) => Number(part.trim()))
    .filter((n) => Number.isInteger(n) && n > 0 && n <= 1000);
  return [...new Set(parsed)].sort((a, b) => a - b);
}

const nonEmpty = (value: string | undefined): string | null => (value && value.trim() !== "" ? value.trim() : null);

export const webhookUrl = (env: Env): string | null => nonEmpty(env.BUDGET_ALERT_WEBHOOK_URL);

/** The OTLP traces URL: the endpoint var is the base, per the OTel exporter spec (`/v1/traces` appended). */
export function otlpTracesUrl(env: Env): string | null {
  const base = nonEmpty(env.OTEL_EXPORTER_OTLP_ENDPOINT);
  if (!base) return null;
  return base.endsWith("/v1/traces") ? base : `${base.replace(/\/+$/, "")}/v1/traces`;
}

/** OTEL_EXPORTER_OTLP_HEADERS: `k=v,k2=v2`, values %-decoded (the spec's format); malformed pairs are skipped. */
export function otlpHeaders(env: Env): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of (env.OTEL_EXPORTER_OTLP_HEADERS ?? "").split(",")) {
    const eq = pair.indexOf("=");
    if (eq <= 0) continue;
    const name = pair.slice(0, eq).trim();
    let value = pair.slice(eq + 1).trim();
    try {
      value = decodeURIComponent(value);
    } catch {
      // not %-encoded after all: keep it as written
    }
    if (name) headers[name] = value;
  }
  return headers;
}
