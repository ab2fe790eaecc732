import type { ConfigRow, ConfigVersionRow } from "../../schema/db";
import type { VersionSummary } from "./repository";
import { redactSecrets } from "./redact";
import { presentVersionedMeta, presentVersionStamp } from "./versioned-present";

/** JSON shapes of the admin API. Config bodies always go through redactSecrets: no inline key is ever returned. */

export function presentConfigMeta(row: ConfigRow) {
  return presentVersionedMeta("config", row);
}

export function presentConfig(row: ConfigRow, configJson: string) {
  return { ...presentConfigMeta(row), config: redactSecrets(JSON.parse(configJson)) };
}

export function presentVersionSummary(row: VersionSummary) {
  return { object: "config.version" as const, config_id: row.configId, ...presentVersionStamp(row) };
}

export function presentVersion(row: ConfigVersionRow) {
  return { ...presentVersionSummary(row), config: redactSecrets(JSON.parse(row.config)) };
}
