import { isProviderId, type ProviderId } from "../../schema/provider-ids";
import type { DefaultConfig, DefaultGuardrails, GatewayKeyRow, KeyStatus, VirtualKeyRow } from "../../schema/db/keys";
import type { Limits } from "./limits/ledger";
import type { ProviderCredential } from "../vault/credential";

/** What the request path needs of a gateway key: no secret, not even its hash beyond the cache key. */
export interface GatewayKeyRecord {
  id: string;
  name: string;
  status: KeyStatus;
  user: string | null;
  team: string | null;
  metadata: Readonly<Record<string, string>>;
  allowedModels: readonly string[] | null;
  allowedProviders: readonly string[] | null;
  allowedVirtualKeys: readonly string[] | null;
  defaultConfig: DefaultConfig | null;
  /** Optional so records built before guardrails (tests, the isolate cache) stay valid. */
  defaultGuardrails?: DefaultGuardrails | null;
  limits: Limits;
  expiresAt: number | null;
  /** Body logging for this key's requests; null: the LOG_BODIES var decides. */
  logBodies: boolean | null;
}

/** A virtual key for the request path, with its credential decrypted (only while active). */
export interface VirtualKeyRecord {
  id: string;
  slug: string;
  name: string;
  provider: ProviderId;
  status: KeyStatus;
  allowedModels: readonly string[] | null;
  limits: Limits;
  /** null unless the key is active: a disabled key is never decrypted. */
  credential: ProviderCredential | null;
}

export function limitsOf(row: Pick<GatewayKeyRow, "rpm" | "tpm" | "budgetUsd" | "budgetPeriod" | "updatedAt">): Limits {
  return {
    rpm: row.rpm,
    tpm: row.tpm,
    budgetUsd: row.budgetUsd,
    period: row.budgetPeriod,
    version: row.updatedAt.getTime(),
  };
}

export const hasLimits = (limits: Limits): boolean =>
  limits.rpm !== null || limits.tpm !== null || limits.budgetUsd !== null;

/** Records are shared by every request of the isolate: frozen so no request can change what the next one sees. */
export function gatewayKeyRecord(row: GatewayKeyRow): GatewayKeyRecord {
  return Object.freeze({
    id: row.id,
    name: row.name,
    status: row.status,
    user: row.user,
    team: row.team,
    metadata: Object.freeze({ ...row.metadata }),
    allowedModels: row.allowedModels && Object.freeze([...row.allowedModels]),
    allowedProviders: row.allowedProviders && Object.freeze([...row.allowedProviders]),
    allowedVirtualKeys: row.allowedVirtualKeys && Object.freeze([...row.allowedVirtualKeys]),
    defaultConfig: row.defaultConfig,
    defaultGuardrails: row.defaultGuardrails ?? null,
    limits: Object.freeze(limitsOf(row)),
    expiresAt: row.expiresAt?.getTime() ?? null,
    logBodies: row.logBodies,
  });
}

export function virtualKeyRecord(row: VirtualKeyRow, credential: ProviderCredential | null): VirtualKeyRecord {
  // Providers are validated on the way in; an unknown one here means a row written by a newer version: refuse it.
  if (!isProviderId(row.provider)) throw new Error(`virtual key ${row.id} has unknown provider ${row.provider}`);
  return Object.freeze({
    id: row.id,
    slug: row.slug,
    name: row.name,
    provider: row.provider,
    status: row.status,
    allowedModels: row.allowedModels && Object.freeze([...row.allowedModels]),
    limits: Object.freeze(limitsOf(row)),
    credential: credential && Object.freeze({ ...credential }),
  });
}
