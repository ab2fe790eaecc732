import { detectPii } from "../../guardrails/pii/detect";
import { redactFindings } from "../../guardrails/pii/redact";
import { PII_CATEGORIES, type PiiCategory } from "../../guardrails/pii/types";
import type { Hook } from "../../guardrails/types";
import type { RequestOutcome } from "../context";

/*
 * What the request log may hold (docs/guardrails.md, "Logs"): never a value a PII check found. The logger replaces
 * each value registered here by its placeholder in the logged bodies (src/observability/logged-placeholders.ts):
 * - an input redaction with `restore`: the client gets its originals back, the log keeps the placeholders the
 *   provider saw;
 * - an input deny: the provider saw nothing, and the logged request carries placeholders where PII was found.
 */

/** Register placeholder -> original pairs (a redaction's restore map) for the logger. */
export function rememberPlaceholders(outcome: RequestOutcome, restore: ReadonlyMap<string, string>): void {
  if (restore.size === 0) return;
  outcome.loggedPlaceholders ??= new Map();
  for (const [placeholder, original] of restore) outcome.loggedPlaceholders.set(original, placeholder);
}

/** The categories the enabled `default.pii` checks of these hooks look for (none when no such check). */
function piiCategoriesOf(hooks: readonly Hook[]): Set<PiiCategory> {
  const out = new Set<PiiCategory>();
  for (const check of hooks.flatMap((hook) => hook.checks)) {
    if (check.id !== "default.pii" || !check.isEnabled) continue;
    const listed = check.parameters.categories;
    const categories = Array.isArray(listed) ? listed : PII_CATEGORIES;
    for (const category of PII_CATEGORIES) if (categories.includes(category)) out.add(category);
  }
  return out;
}

/**
 * A request denied by input hooks that include `default.pii`: the findings in the judged text are numbered like a
 * redaction (after any earlier placeholders) and registered, so the logged request holds placeholders only.
 */
export function rememberDeniedPii(outcome: RequestOutcome, hooks: readonly Hook[], text: string): void {
  const categories = piiCategoriesOf(hooks);
  if (categories.size === 0 || text === "") return;
  const findings = detectPii(text, [...categories]);
  if (findings.length === 0) return;
  const earlier = new Map(
    [...(outcome.loggedPlaceholders ?? [])].map(([original, placeholder]) => [placeholder, original]),
  );
  rememberPlaceholders(outcome, redactFindings(text, findings, earlier).restore);
}
