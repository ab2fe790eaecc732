import type { PiiFinding } from "./types";

export interface Redaction {
  text: string;
  /** Placeholder -> original value, for restoring the answer. Never logged. */
  restore: Map<string, string>;
}

/** Numbering carries on from an earlier redaction (another message of the same request), so placeholders stay unique. */
function continueFrom(earlier: ReadonlyMap<string, string> | undefined) {
  const placeholderOf = new Map<string, string>();
  const counters = new Map<string, number>();
  const restore = new Map<string, string>(earlier ?? []);
  for (const [placeholder, value] of restore) {
    const cut = placeholder.lastIndexOf("_");
    const category = placeholder.slice(1, cut);
    placeholderOf.set(`${category}\u0000${value}`, placeholder);
    counters.set(category, Math.max(counters.get(category) ?? 0, Number(placeholder.slice(cut + 1, -1))));
  }
  return { placeholderOf, counters, restore };
}

/**
 * Replaces each finding with `[CATEGORY_N]`, numbered per category in order of appearance; the same value gets the
 * same placeholder, so the model can still tell that two mentions are one address. Pass `earlier` to number the
 * findings of a second text after those of the first.
 */
export function redactFindings(
  text: string,
  findings: readonly PiiFinding[],
  earlier?: ReadonlyMap<string, string>,
): Redaction {
  const { placeholderOf, counters, restore } = continueFrom(earlier);
  const parts: string[] = [];
  let cursor = 0;
  for (const finding of findings) {
    const value = text.slice(finding.start, finding.end);
    const key = `${finding.category}\u0000${value}`;
    let placeholder = placeholderOf.get(key);
    if (placeholder === undefined) {
      const next = (counters.get(finding.category) ?? 0) + 1;
      counters.set(finding.category, next);
      placeholder = `[${finding.category}_${next}]`;
      placeholderOf.set(key, placeholder);
      restore.set(placeholder, value);
    }
    parts.push(text.slice(cursor, finding.start), placeholder);
    cursor = finding.end;
  }
  parts.push(text.slice(cursor));
  return { text: parts.join(""), restore };
}
