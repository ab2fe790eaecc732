import { settingsOf } from "../settings";

/**
 * The observability vars (wrangler.toml [vars]) and secret, as parsed once per env object by src/settings.ts. A
 * bad value falls back to the documented default instead of failing a request or a consumer batch: logging must
 * never take the gateway down. These accessors serve code that holds only `env` (the queue consumer).
 */
export { DEFAULT_ALERT_THRESHOLDS, DEFAULT_BODY_MAX_BYTES, METADATA_KEY_PATTERN } from "../settings";

/** LOG_BODY_MAX_BYTES, clamped to 256..49152. */
export const bodyMaxBytes = (env: Env): number => settingsOf(env).logBodyMaxBytes;

export const logBodiesGlobally = (env: Env): boolean => settingsOf(env).logBodies;

/** The metadata key rolled up for analytics, or null when unset or unusable. */
export const analyticsMetadataKey = (env: Env): string | null => settingsOf(env).analyticsMetadataKey;

/** Percentages, ascending, deduplicated; anything unparsable is skipped. */
export const alertThresholds = (env: Env): number[] => settingsOf(env).budgetAlerts.thresholds;

export const webhookUrl = (env: Env): string | null => settingsOf(env).budgetAlerts.webhookUrl;

/** The OTLP traces URL: the endpoint var is the base, per the OTel exporter spec (`/v1/traces` appended). */
export const otlpTracesUrl = (env: Env): string | null => settingsOf(env).otlp.tracesUrl;

/** OTEL_EXPORTER_OTLP_HEADERS: `k=v,k2=v2`, values %-decoded (the spec's format); malformed pairs are skipped. */
export const otlpHeaders = (env: Env): Record<string, string> => settingsOf(env).otlp.headers;
