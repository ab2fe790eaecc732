import type { PromptLabelRow, PromptVersionRow } from "../../schema/db";
import type { PromptMessage, PromptVariable } from "../../schema/prompts";
import type { LabelShare, PromptVersion } from "./types";

/** The JSON in prompt_versions.template: the version as validated, with its variables derived when not declared. */
export interface StoredTemplate {
  messages: PromptMessage[];
  model?: string;
  params?: Record<string, unknown>;
  virtual_key?: string;
  config?: string | Record<string, unknown>;
  variables: PromptVariable[];
}

export function versionOf(row: Pick<PromptVersionRow, "promptId" | "version" | "template">): PromptVersion {
  const stored = JSON.parse(row.template) as StoredTemplate;
  return {
    promptId: row.promptId,
    version: row.version,
    messages: stored.messages,
    model: stored.model,
    params: stored.params ?? {},
    virtualKey: stored.virtual_key,
    config: stored.config,
    variables: stored.variables,
  };
}

export const sharesOf = (row: Pick<PromptLabelRow, "versions">): LabelShare[] =>
  JSON.parse(row.versions) as LabelShare[];
