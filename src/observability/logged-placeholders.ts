/**
 * A body for the log with every value a guardrail took out of the request replaced by its placeholder
 * (outcome.loggedPlaceholders: original -> placeholder). A restored answer gives the client its own data back;
 * the log keeps the form the provider saw, so a redacted value is never stored (docs/guardrails.md).
 */
export function withLoggedPlaceholders(
  text: string | null,
  placeholders: ReadonlyMap<string, string> | undefined,
): string | null {
  if (text === null || !placeholders || placeholders.size === 0) return text;
  let out = text;
  // Longest first, so a value that contains another is replaced whole.
  const originals = [...placeholders.keys()].sort((a, b) => b.length - a.length);
  for (const original of originals) {
    const placeholder = placeholders.get(original);
    if (placeholder !== undefined && out.includes(original)) out = out.replaceAll(original, placeholder);
  }
  return out;
}
