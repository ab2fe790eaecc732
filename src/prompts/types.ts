import type { PromptMessage, PromptVariable } from "../../schema/prompts";

/** A saved version as the request path uses it (parsed from prompt_versions.template). Shared and frozen: never mutate. */
export interface PromptVersion {
  promptId: string;
  version: number;
  messages: PromptMessage[];
  model?: string;
  params: Record<string, unknown>;
  virtualKey?: string;
  /** A saved config's id or slug, or an inline config JSON (without credentials). */
  config?: string | Record<string, unknown>;
  /** Declared, or derived from the template when the version declared none. */
  variables: PromptVariable[];
}

/** One entry of a label: a version and its share of the traffic. */
export interface LabelShare {
  version: number;
  weight: number;
}

/** A prompt with its labels, as the request path needs it (one cache entry per slug or id). */
export interface PromptSnapshot {
  id: string;
  slug: string;
  latestVersion: number;
  labels: ReadonlyMap<string, readonly LabelShare[]>;
}

/** Which version a request ran, and through which label (null: a version number, `@latest`, or no label set). */
export interface ChosenVersion {
  version: number;
  label: string | null;
}
