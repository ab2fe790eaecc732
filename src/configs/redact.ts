import { isSealedSecret } from "./sealed";

/**
 * Provider credentials a config may carry inline (Portkey allows `api_key` and cloud credentials in targets).
 * The admin API never returns them after they are saved (docs/contract.md: secrets are never returned after creation);
 * responses show a masked hint instead. Virtual keys are the better home for credentials.
 * Saved configs store them sealed with the vault key (src/configs/secrets.ts).
 */
const SECRET_FIELDS = new Set([
  "api_key",
  "aws_secret_access_key",
  "aws_session_token",
  "vertex_service_account_json",
  "azure_ad_token",
]);

const MASK = "****";

/** Whether `key` names a credential field (at any depth of a config). */
export const isSecretField = (key: string): boolean => SECRET_FIELDS.has(key);

/** The names, for the re-encrypt sweep's SQL prefilter (src/configs/reencrypt.ts). */
export const SECRET_FIELD_NAMES: readonly string[] = [...SECRET_FIELDS];

/** What the admin API shows for a secret; a sealed one (src/configs/sealed.ts) carries the hint made at save time. */
export function maskSecret(value: unknown): string {
  if (isSealedSecret(value))
    return typeof value.hint === "string" && /^\*{4}.{0,4}$/.test(value.hint) ? value.hint : MASK;
  if (typeof value !== "string") return MASK;
  // The last 4 characters tell keys apart without giving anything usable away; short values show nothing.
  return value.length >= 16 ? `${MASK}${value.slice(-4)}` : MASK;
}

/** A copy of `value` with every secret field masked, at any depth (targets nest). */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) => [
      key,
      SECRET_FIELDS.has(key) ? maskSecret(child) : redactSecrets(child),
    ]),
  );
}

/**
 * The path of a secret field that still holds a masked hint (someone saved back what GET returned), or null.
 * Saving it would replace the real key with "****abcd" and break every request routed through the config.
 */
export function findMaskedSecret(value: unknown, path = "config"): string | null {
  if (Array.isArray(value)) {
    for (const [index, child] of value.entries()) {
      const found = findMaskedSecret(child, `${path}[${index}]`);
      if (found) return found;
    }
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  for (const [key, child] of Object.entries(value)) {
    const childPath = `${path}.${key}`;
    if (SECRET_FIELDS.has(key) && typeof child === "string" && child.startsWith(MASK)) return childPath;
    const found = findMaskedSecret(child, childPath);
    if (found) return found;
  }
  return null;
}
