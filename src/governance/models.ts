import { servesCatalogModel } from "../../providers/catalog-models";
import generated from "../../schema/pricing/prices.generated.json";
import { isProviderId, PROVIDER_IDS, type ProviderId } from "../../schema/provider-ids";
import type { AppContext } from "../context";
import { callerOf } from "./caller";
import { modelAllowed } from "./policy";
import type { GatewayKeyRecord, VirtualKeyRecord } from "./records";
import { virtualKeyBySlug } from "./store";

/**
 * GET /v1/models (docs/contract.md: the models the caller may use), in OpenAI's list format. The gateway forwards to any
 * model a provider serves, so "may use" is read from the key's allowlists and the price table: the priced models
 * of the providers the key can reach (its allowed providers, or the providers of its allowed virtual keys), kept
 * to its allowed_models when set (a `prefix*` entry expands to the priced models it matches; an exact id is listed
 * even when unpriced). Without restrictions, or in passthrough mode, every priced model.
 */
export interface ModelEntry {
  id: string;
  object: "model";
  created: number;
  owned_by: string;
}

// The table's JSON, read once per isolate: provider -> the model ids its adapter serves (providers/catalog-models.ts).
const table: unknown = generated;
const pricedModels: ReadonlyMap<ProviderId, readonly string[]> = (() => {
  const providers = (table as { providers?: Record<string, Record<string, unknown>> }).providers ?? {};
  const out = new Map<ProviderId, string[]>();
  for (const [provider, models] of Object.entries(providers))
    if (isProviderId(provider))
      out.set(
        provider,
        Object.keys(models).filter((model) => servesCatalogModel(provider, model)),
      );
  return out;
})();

async function reachableProviders(env: Env, key: GatewayKeyRecord): Promise<ProviderId[]> {
  let providers: ProviderId[] = [...PROVIDER_IDS];
  if (key.allowedProviders) providers = providers.filter((p) => key.allowedProviders?.includes(p));
  if (key.allowedVirtualKeys) {
    // The request path's isolate cache: listing models costs no D1 read once the keys are warm.
    const records = await Promise.all(
      key.allowedVirtualKeys.map((slug) => virtualKeyBySlug(env, slug).catch(() => null)),
    );
    const viaKeys = new Set(records.filter((record) => record?.status === "active").map((record) => record?.provider));
    providers = providers.filter((p) => viaKeys.has(p));
  }
  return providers;
}

/** `only`: the one provider the request named (x-portkey-provider), when it named one. */
export async function modelsFor(env: Env, key: GatewayKeyRecord | null, only?: ProviderId): Promise<ModelEntry[]> {
  const reachable = key ? await reachableProviders(env, key) : [...PROVIDER_IDS];
  const providers = only ? reachable.filter((provider) => provider === only) : reachable;
  const byId = new Map<string, ModelEntry>();
  const add = (id: string, owner: string) => {
    if (!byId.has(id)) byId.set(id, { id, object: "model", created: 0, owned_by: owner });
  };
  for (const provider of providers) {
    for (const model of pricedModels.get(provider) ?? [])
      if (modelAllowed(key?.allowedModels ?? null, model)) add(model, provider);
  }
  // Exact ids the admin allowed are usable even when the price table does not know them (self-hosted models).
  for (const pattern of key?.allowedModels ?? [])
    if (!pattern.endsWith("*") && providers.length > 0) add(pattern, "gateway");
  return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/** The catalog listing of the caller (no upstream named): what GET /v1/models answered before upstream listings. */
export async function catalogModels(c: AppContext, only?: ProviderId): Promise<ModelEntry[]> {
  return modelsFor(c.env, callerOf(c)?.key ?? null, only);
}

/**
 * A list kept to what the caller may use: the gateway key's allowed_models and the virtual key's (the same rules as
 * a request naming the model; provider and virtual key rules are checked before listing).
 */
export function allowedFor(
  models: readonly ModelEntry[],
  key: GatewayKeyRecord | null,
  virtualKey: VirtualKeyRecord | undefined,
): ModelEntry[] {
  return models.filter(
    (model) =>
      modelAllowed(key?.allowedModels ?? null, model.id) && modelAllowed(virtualKey?.allowedModels ?? null, model.id),
  );
}
