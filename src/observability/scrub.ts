/**
 * Credentials must never reach a log row, even when bodies are logged: every secret the request carried (the
 * Authorization value, x-portkey-api-key, keys inside an inline config) is replaced wherever it appears, and
 * well-known key shapes are masked too, for secrets we could not know about (a saved config's or a virtual key's).
 */
export const REDACTED = "[REDACTED]";

/** Shorter values are not treated as secrets: replacing them would mangle ordinary text. */
export const MIN_SECRET_LENGTH = 8;

/** Config fields that hold a credential (as in src/configs/redact.ts), at any depth of an inline config. */
const SECRET_FIELDS = new Set([
  "api_key",
  "aws_secret_access_key",
  "aws_session_token",
  "vertex_service_account_json",
  "azure_ad_token",
]);

const PATTERNS: Array<[RegExp, string]> = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${REDACTED}`],
  // PEM private keys (a Vertex service account's key file, raw or JSON-escaped), whoever sent them.
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, REDACTED],
  // OpenAI (sk-, sk-proj-), Anthropic (sk-ant-), OpenRouter (sk-or-), and other sk-style keys.
  [/\bsk-[A-Za-z0-9_-]{16,}/g, REDACTED],
  [/\bAIza[0-9A-Za-z_-]{30,}/g, REDACTED],
  [/\b(gsk|xai|pplx|fw)[_-][A-Za-z0-9]{20,}/g, REDACTED],
  [/\bAKIA[0-9A-Z]{16}\b/g, REDACTED],
  [
    /"(api[_-]?key|authorization|x-api-key|x-portkey-api-key|aws_secret_access_key|aws_session_token|azure_ad_token|access_token)"\s*:\s*"(?:[^"\\]|\\.)*"/gi,
    `"$1":"${REDACTED}"`,
  ],
];

function collectConfigSecrets(value: unknown, out: Set<string>): void {
  if (Array.isArray(value)) {
    for (const child of value) collectConfigSecrets(child, out);
    return;
  }
  if (typeof value !== "object" || value === null) return;
  for (const [key, child] of Object.entries(value)) {
    if (SECRET_FIELDS.has(key) && typeof child === "string") out.add(child);
    else collectConfigSecrets(child, out);
  }
}

const bearerValue = (header: string | undefined): string | undefined =>
  header?.replace(/^\s*(Bearer|Basic)\s+/i, "").trim();

/**
 * Every secret of a request: what it carried in its headers (including an inline x-portkey-config's credentials)
 * and `used`, the credentials the gateway added on its behalf (outcome.redact: a virtual key's provider key).
 */
export function secretsOf(header: (name: string) => string | undefined, used: readonly string[] = []): string[] {
  const out = new Set<string>(used);
  for (const value of [
    bearerValue(header("authorization")),
    header("x-portkey-api-key"),
    header("x-api-key"),
    header("api-key"),
    header("x-portkey-aws-secret-access-key"),
    header("x-portkey-aws-session-token"),
    header("x-portkey-vertex-service-account-json"),
  ]) {
    if (value) out.add(value);
  }
  const config = header("x-portkey-config")?.trim();
  if (config?.startsWith("{")) {
    try {
      collectConfigSecrets(JSON.parse(config), out);
    } catch {
      // not JSON: the request was refused with a 400, and the header is never logged anyway
    }
  }
  return [...out].filter((secret) => secret.length >= MIN_SECRET_LENGTH);
}

/** `text` with every known secret and every key-shaped string replaced. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  // Longest first, so a secret that contains another is replaced whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (out.includes(secret)) out = out.replaceAll(secret, REDACTED);
  }
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}
