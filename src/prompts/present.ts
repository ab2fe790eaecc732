import type { PromptLabelRow, PromptRow, PromptVersionRow } from "../../schema/db";
import { DEFAULT_LABELS } from "../../schema/prompts";
import { sharesOf } from "./stored";

/** JSON shapes of /admin/prompts. */

export function presentPromptMeta(row: PromptRow) {
  return {
    object: "prompt" as const,
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    version: row.latestVersion,
    archived: row.archived,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

/** Every label: the three defaults always (version null while unset), then the custom ones. */
export function presentLabels(rows: readonly PromptLabelRow[]) {
  const byName = new Map(rows.map((row) => [row.label, row]));
  const names = [
    ...DEFAULT_LABELS,
    ...rows.map((row) => row.label).filter((name) => !(DEFAULT_LABELS as readonly string[]).includes(name)),
  ];
  return names.map((name) => {
    const row = byName.get(name);
    const shares = row ? sharesOf(row) : [];
    return {
      label: name,
      version: shares.length === 1 ? (shares[0]?.version ?? null) : null,
      versions: shares.length > 1 ? shares : null,
      updated_at: row ? row.updatedAt.toISOString() : null,
    };
  });
}

export function presentPromptVersion(row: PromptVersionRow) {
  return {
    object: "prompt.version" as const,
    prompt_id: row.promptId,
    version: row.version,
    ...(JSON.parse(row.template) as Record<string, unknown>),
    created_at: row.createdAt.toISOString(),
    created_by: row.createdBy,
  };
}

export function presentPrompt(row: PromptRow, latest: PromptVersionRow, labels: readonly PromptLabelRow[]) {
  return { ...presentPromptMeta(row), labels: presentLabels(labels), latest: presentPromptVersion(latest) };
}
