import type { ConfigRow, ConfigVersionRow } from "../../schema/db";
import type { VersionSummary } from "./repository";
import { redactSecrets } from "./redact";

/** JSON shapes of the admin API. Config bodies always go through redactSecrets: no inline key is ever returned. */

export function presentConfigMeta(row: ConfigRow) {
  return {
    object: "config" as const,
    id: row.id,
    slug: row.slug,
    name: row.name,
    version: row.latestVersion,
    archived: row.archived,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

export function presentConfig(row: ConfigRow, configJson: string) {
  return { ...presentConfigMeta(row), config: redactSecrets(JSON.parse(configJson)) };
}

export function presentVersionSummary(row: VersionSummary) {
  return {
    object: "config.version" as const,
    config_id: row.configId,
    version: row.version,
    created_at: row.createdAt.toISOString(),
    created_by: row.createdBy,
  };
}

export function presentVersion(row: ConfigVersionRow) {
  return { ...presentVersionSummary(row), config: redactSecrets(JSON.parse(row.config)) };
}
