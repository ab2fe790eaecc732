import type { DefaultConfig, GatewayKeyRow } from "../../../schema/db/keys";

/** The admin API's view of a gateway key: everything but the secret, which only create and rotate return (once). */
const presentDefault = (config: DefaultConfig | null) =>
  config === null ? null : "ref" in config ? config.ref : config.inline;

export function presentGatewayKey(row: GatewayKeyRow) {
  return {
    object: "gateway_key" as const,
    id: row.id,
    name: row.name,
    key_prefix: row.keyPrefix,
    status: row.status,
    user: row.user,
    team: row.team,
    metadata: row.metadata,
    allowed_models: row.allowedModels,
    allowed_providers: row.allowedProviders,
    allowed_virtual_keys: row.allowedVirtualKeys,
    default_config: presentDefault(row.defaultConfig),
    default_guardrails: row.defaultGuardrails ?? null,
    rpm: row.rpm,
    tpm: row.tpm,
    budget_usd: row.budgetUsd,
    budget_period: row.budgetPeriod,
    expires_at: row.expiresAt?.toISOString() ?? null,
    log_bodies: row.logBodies,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    rotated_at: row.rotatedAt?.toISOString() ?? null,
    created_by: row.createdBy,
  };
}

/** Create and rotate: the one time the secret is shown. */
export function presentNewGatewayKey(row: GatewayKeyRow, secret: string) {
  return { ...presentGatewayKey(row), key: secret };
}
