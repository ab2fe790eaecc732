import { CONFIG_ID_PATTERN, SLUG_PATTERN } from "../../schema/admin";
import { LABEL_PATTERN } from "../../schema/prompts";

/**
 * How a request names a prompt: `slug` or a prompt id, optionally with `@7` (a version), `@production` (a label)
 * or `@latest`. Partials use the same syntax (`{{>footer@3}}`).
 */
export type VersionSelector =
  { kind: "default" } | { kind: "latest" } | { kind: "version"; version: number } | { kind: "label"; label: string };

export interface PromptRef {
  /** A slug or a prompt id (UUID). */
  key: string;
  selector: VersionSelector;
}

function selectorOf(suffix: string | undefined): VersionSelector | null {
  if (suffix === undefined) return { kind: "default" };
  if (suffix === "latest") return { kind: "latest" };
  if (/^[1-9][0-9]{0,8}$/.test(suffix)) return { kind: "version", version: Number(suffix) };
  return LABEL_PATTERN.test(suffix) ? { kind: "label", label: suffix } : null;
}

/** Null when the text cannot name a prompt (the caller answers 404 or 400). */
export function parsePromptRef(text: string): PromptRef | null {
  const at = text.indexOf("@");
  const key = at < 0 ? text : text.slice(0, at);
  if (!CONFIG_ID_PATTERN.test(key) && !SLUG_PATTERN.test(key)) return null;
  const selector = selectorOf(at < 0 ? undefined : text.slice(at + 1));
  return selector ? { key, selector } : null;
}
