import * as z from "zod";

/**
 * The Worker's vars (wrangler.toml [vars]) and the secrets the code parses, read once per env object into typed
 * settings. workerd hands the same env object to every request of an isolate, so the parse runs once per isolate;
 * a caller with another env object (tests overriding a var per request) gets that object parsed anew.
 *
 * A bad value never throws: like before this module existed, it falls back to the documented default, because a
 * typo in a var must not take every request down. What was wrong is kept in `problems`, for /ready.
 */

export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
/**
 * Overall deadline of one routed request: every attempt, retry wait and fallback must fit in it, so a config with
 * many targets and retries cannot run away. 10 minutes by default, the same as the default per-attempt timeout,
 * so that a single slow (non-streamed) answer keeps the allowance it had before routing existed.
 */
export const DEFAULT_ROUTING_DEADLINE_MS = 600_000;
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
export const DEFAULT_SEMANTIC_THRESHOLD = 0.95;
/**
 * How long a lookup waits for the embedding of the question. The embedding precedes every semantic hit and every
 * semantic-mode miss, so it bounds what the cache can add to a miss: a typical call answers in 100-500 ms, a
 * slower one is abandoned and the request is a plain MISS. SEMANTIC_CACHE_EMBEDDING_TIMEOUT_MS overrides it.
 */
export const DEFAULT_EMBEDDING_TIMEOUT_MS = 1_500;
const MAX_EMBEDDING_TIMEOUT_MS = 30_000;
/** Stored responses of /v1/responses are kept this many days, as OpenAI keeps its own (30). */
export const DEFAULT_STORED_RESPONSES_RETENTION_DAYS = 30;

/** The deployment's semantic-cache settings (wrangler.toml vars and one optional secret). */
export interface SemanticSettings {
  threshold: number;
  provider: string;
  model: string;
  /** Base URL override of the embedding provider, policed like any custom_host. */
  host?: string;
  /** SEMANTIC_CACHE_EMBEDDING_API_KEY; absent: the target's own key when it is the same provider. */
  apiKey?: string;
  /** How long a lookup waits for the embedding before it gives up (a MISS). */
  embeddingTimeoutMs: number;
}

/** A var that was set but unusable (its default applies). Names the var, never echoes its value. */
export interface SettingsProblem {
  name: string;
  message: string;
}

/** One parsed var: its value, and what was wrong with the raw value when it was not used. */
interface Parsed<T> {
  value: T;
  problem?: string;
}

/** A var as the env holds it: any value, or absent (the key may be missing, as in tests' partial envs). */
const rawVar = z.unknown().optional();
const textOf = (raw: unknown): string | undefined => (typeof raw === "string" ? raw : undefined);
const trimmed = (raw: unknown): string | undefined => textOf(raw)?.trim();
const nonEmpty = (raw: unknown): string | null => trimmed(raw) || null;
/** Only the string "true" turns a flag on (as before: "1", "yes" or "TRUE" leave it off). */
const flag = rawVar.transform((raw) => raw === "true");
const text = rawVar.transform(nonEmpty);

/** Whether a raw value was given at all: an absent or blank var is not a problem, its default is the intent. */
const given = (raw: unknown): boolean => raw !== undefined && raw !== null && String(raw).trim() !== "";

/**
 * A number var: `accept` is its test of a usable value (Number(raw), as before), `shape` clamps it, else the
 * default applies. `required`: an absent value is a problem too.
 */
function numberVar(fallback: number, accept: (n: number) => boolean, shape = (n: number) => n, required = false) {
  return rawVar.transform((raw): Parsed<number> => {
    const n = Number(raw);
    if (accept(n)) return { value: shape(n) };
    return given(raw) || required
      ? { value: fallback, problem: `is not usable (the default ${fallback} applies)` }
      : { value: fallback };
  });
}

const positiveFinite = (n: number) => Number.isFinite(n) && n > 0;

/**
 * MAX_BODY_BYTES is required (wrangler.toml sets it). Its /ready check has always been `Number(value) > 0`, so
 * that is the problem test, while the limit itself needs a finite positive number (else the 4 MiB default).
 */
const maxBodyBytes = rawVar.transform((raw): Parsed<number> => {
  const n = Number(raw);
  const value = positiveFinite(n) ? n : DEFAULT_MAX_BODY_BYTES;
  return n > 0 ? { value } : { value, problem: "must be a positive number of bytes" };
});

/** Comma-separated host names or "*.suffix" patterns, lower-cased. */
const hostList = rawVar.transform((raw) =>
  (textOf(raw) ?? "")
    .split(",")
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean),
);

/** Percentages, ascending, deduplicated; anything unparsable is skipped (all junk: no thresholds at all). */
const thresholds = rawVar.transform((raw): Parsed<number[]> => {
  const value = trimmed(raw);
  if (!value) return { value: DEFAULT_ALERT_THRESHOLDS };
  const parts = value.split(",").map((part) => Number(part.trim()));
  const usable = parts.filter((n) => Number.isInteger(n) && n > 0 && n <= 1000);
  const sorted = [...new Set(usable)].sort((a, b) => a - b);
  return usable.length === parts.length
    ? { value: sorted }
    : { value: sorted, problem: "has entries that are not whole percentages 1-1000 (skipped)" };
});

const metadataKey = rawVar.transform((raw): Parsed<string | null> => {
  const key = trimmed(raw);
  if (!key) return { value: null };
  return METADATA_KEY_PATTERN.test(key)
    ? { value: key }
    : { value: null, problem: "must match [A-Za-z0-9_.-]{1,64} (ignored)" };
});

/** The OTLP traces URL: the endpoint var is the base, per the OTel exporter spec (`/v1/traces` appended). */
const tracesUrl = rawVar.transform((raw) => {
  const base = nonEmpty(raw);
  if (!base) return null;
  return base.endsWith("/v1/traces") ? base : `${base.replace(/\/+$/, "")}/v1/traces`;
});

/** OTEL_EXPORTER_OTLP_HEADERS: `k=v,k2=v2`, values %-decoded (the spec's format); malformed pairs are skipped. */
const otlpHeaders = rawVar.transform((raw) => {
  const headers: Record<string, string> = {};
  for (const pair of (textOf(raw) ?? "").split(",")) {
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
});

/** Every var and parsed secret, by its wrangler name. Absent vars get their defaults. */
const varsSchema = z.object({
  MAX_BODY_BYTES: maxBodyBytes,
  CUSTOM_HOST_ALLOWLIST: hostList,
  ALLOW_PRIVATE_CUSTOM_HOSTS: flag,
  ROUTING_DEADLINE_MS: numberVar(DEFAULT_ROUTING_DEADLINE_MS, positiveFinite),
  PASSTHROUGH_MODE: flag,
  OTEL_EXPORTER_OTLP_ENDPOINT: tracesUrl,
  OTEL_EXPORTER_OTLP_HEADERS: otlpHeaders,
  LOG_BODIES: flag,
  LOG_BODY_MAX_BYTES: numberVar(
    DEFAULT_BODY_MAX_BYTES,
    (n) => Number.isInteger(n) && n > 0,
    (n) => Math.min(MAX_BODY_MAX_BYTES, Math.max(MIN_BODY_MAX_BYTES, n)),
  ),
  ANALYTICS_METADATA_KEY: metadataKey,
  BUDGET_ALERT_WEBHOOK_URL: text,
  BUDGET_ALERT_THRESHOLDS: thresholds,
  SEMANTIC_CACHE_EMBEDDING_PROVIDER: text,
  SEMANTIC_CACHE_EMBEDDING_MODEL: text,
  SEMANTIC_CACHE_EMBEDDING_HOST: text,
  SEMANTIC_CACHE_EMBEDDING_API_KEY: rawVar.transform((raw) => textOf(raw) || null),
  SEMANTIC_CACHE_THRESHOLD: numberVar(DEFAULT_SEMANTIC_THRESHOLD, (n) => Number.isFinite(n) && n > 0 && n <= 1),
  SEMANTIC_CACHE_EMBEDDING_TIMEOUT_MS: numberVar(DEFAULT_EMBEDDING_TIMEOUT_MS, positiveFinite, (n) =>
    Math.min(n, MAX_EMBEDDING_TIMEOUT_MS),
  ),
  STORED_RESPONSES_RETENTION_DAYS: numberVar(DEFAULT_STORED_RESPONSES_RETENTION_DAYS, positiveFinite),
});

type Vars = z.output<typeof varsSchema>;

/** Empty provider or model: semantic mode falls back to exact matches only (null). */
function semanticOf(vars: Vars): SemanticSettings | null {
  const provider = vars.SEMANTIC_CACHE_EMBEDDING_PROVIDER;
  const model = vars.SEMANTIC_CACHE_EMBEDDING_MODEL;
  if (!provider || !model) return null;
  const settings: SemanticSettings = {
    threshold: vars.SEMANTIC_CACHE_THRESHOLD.value,
    provider,
    model,
    embeddingTimeoutMs: vars.SEMANTIC_CACHE_EMBEDDING_TIMEOUT_MS.value,
  };
  if (vars.SEMANTIC_CACHE_EMBEDDING_HOST) settings.host = vars.SEMANTIC_CACHE_EMBEDDING_HOST;
  if (vars.SEMANTIC_CACHE_EMBEDDING_API_KEY) settings.apiKey = vars.SEMANTIC_CACHE_EMBEDDING_API_KEY;
  return settings;
}

/** The vars whose value was unusable, in schema order. */
function problemsOf(vars: Vars): SettingsProblem[] {
  return Object.entries(vars).flatMap(([name, parsed]: [string, unknown]) => {
    const problem = typeof parsed === "object" && parsed !== null && "problem" in parsed ? parsed.problem : undefined;
    return typeof problem === "string" ? [{ name, message: `${name} ${problem}` }] : [];
  });
}

/** The one schema: raw env in, typed settings out. */
export const settingsSchema = varsSchema.transform((vars) => ({
  maxBodyBytes: vars.MAX_BODY_BYTES.value,
  /** custom_host SSRF policy (src/lib/custom-host.ts). */
  customHost: { allowPrivate: vars.ALLOW_PRIVATE_CUSTOM_HOSTS, allowlist: vars.CUSTOM_HOST_ALLOWLIST },
  routingDeadlineMs: vars.ROUTING_DEADLINE_MS.value,
  passthrough: vars.PASSTHROUGH_MODE,
  logBodies: vars.LOG_BODIES,
  logBodyMaxBytes: vars.LOG_BODY_MAX_BYTES.value,
  /** The metadata key rolled up for analytics, or null when unset or unusable. */
  analyticsMetadataKey: vars.ANALYTICS_METADATA_KEY.value,
  budgetAlerts: { webhookUrl: vars.BUDGET_ALERT_WEBHOOK_URL, thresholds: vars.BUDGET_ALERT_THRESHOLDS.value },
  otlp: { tracesUrl: vars.OTEL_EXPORTER_OTLP_ENDPOINT, headers: vars.OTEL_EXPORTER_OTLP_HEADERS },
  semanticCache: semanticOf(vars),
  /** How long /v1/responses keeps stored responses (days; the scheduled sweep deletes older ones). */
  storedResponsesRetentionDays: vars.STORED_RESPONSES_RETENTION_DAYS.value,
  problems: problemsOf(vars),
}));

export type Settings = z.infer<typeof settingsSchema>;

const parsedSettings = new WeakMap<object, Settings>();

/** The settings of `env`, parsed on first use of that env object. */
export function settingsOf(env: Env): Settings {
  let settings = parsedSettings.get(env);
  if (!settings) {
    settings = settingsSchema.parse(env);
    parsedSettings.set(env, settings);
  }
  return settings;
}
