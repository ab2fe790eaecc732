import type { ResolvedTarget } from "../../providers/types";
import { MIN_SECRET_LENGTH, REDACTED } from "../observability/scrub";

/**
 * The credentials a provider could echo back inside a successful answer: the key the gateway sent this target
 * (the caller's own, or a virtual key's stored one) and the stored keys routing may use (outcome.redact). Each is
 * written as it appears inside a JSON string (answers are JSON text), longest first so that a secret containing
 * another is replaced whole. Keys shorter than MIN_SECRET_LENGTH are left alone, as for upstream errors.
 */
export function answerSecrets(target: ResolvedTarget, stored: readonly string[] = []): string[] {
  const secrets = new Set<string>();
  for (const secret of [...targetCredentials(target), ...stored]) {
    if (secret.length >= MIN_SECRET_LENGTH) secrets.add(JSON.stringify(secret).slice(1, -1));
  }
  return [...secrets].sort((a, b) => b.length - a.length);
}

/** The credentials a target sends (or signs with): its key, and AWS's secret and session token. */
export function targetCredentials(target: ResolvedTarget): string[] {
  return [target.apiKey, target.aws?.secretAccessKey, target.aws?.sessionToken].filter(
    (secret): secret is string => secret !== undefined,
  );
}

/**
 * `text` with every occurrence of `secrets` replaced. Unlike the logger's scrub() it does not mask key-shaped
 * text (a model may legitimately write "sk-..." or "Bearer ..."): only credentials this request really sent. The
 * common case, no secret in the text, costs one indexOf per secret and returns `text` itself, uncopied.
 */
export function withoutSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.replaceAll(secret, REDACTED);
  }
  return out;
}
