import type { VirtualKeyRow } from "../../../schema/db/keys";

/** The admin API's view of a virtual key: a masked hint and the names of the options set, never a value of them. */
export function presentVirtualKey(row: VirtualKeyRow) {
  return {
    object: "virtual_key" as const,
    id: row.id,
    slug: row.slug,
    name: row.name,
    provider: row.provider,
    status: row.status,
    api_key_hint: row.secretHint,
    options: row.options,
    vault_key_id: row.vaultKeyId,
    allowed_models: row.allowedModels,
    rpm: row.rpm,
    tpm: row.tpm,
    budget_usd: row.budgetUsd,
    budget_period: row.budgetPeriod,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    rotated_at: row.rotatedAt?.toISOString() ?? null,
    created_by: row.createdBy,
  };
}
