import type { AppContext } from "../context";
import { GatewayError } from "../errors";
import { callerOf } from "../governance/caller";
import { allowedFor, catalogModels, type ModelEntry } from "../governance/models";
import { admitNamedTarget } from "../governance/named-target";
import { virtualKeyResolver } from "../governance/request";
import { virtualKeyRef } from "../governance/virtual-target";
import { ROOT_SETTINGS, type LeafSpec } from "../routing/inherit";
import type { ResolvedLeaf } from "../governance/leaf";
import { headerDefaults, resolveLeaf } from "./target";
import { DEFAULT_MODELS_TIMEOUT_MS, fetchUpstreamModels, listableProvider } from "./upstream-models";

/**
 * GET /v1/models and GET /v1/models/{id}. Which models, by what the request names:
 * - nothing: the price-table catalog of what the gateway key may use (governance/models.ts);
 * - x-portkey-provider alone: that provider's part of the catalog (an unknown provider is a 400, as for chat);
 * - a custom host or a virtual key (header, or `@slug/model` as the id) of an OpenAI-compatible provider: the
 *   upstream's own list, fetched with its credential; other providers fall back to their catalog part.
 * Targets are resolved exactly as for a chat request (same custom_host policy, virtual key rules and allowlists),
 * and every list is kept to the gateway key's and the virtual key's allowed_models.
 */

/** The single target that the x-portkey-* headers describe, as if there were no config. */
const HEADER_TARGET: LeafSpec = { path: "config", node: {}, settings: ROOT_SETTINGS };

/** Null when the request names no provider, custom host or virtual key: the catalog answers. */
async function namedTarget(c: AppContext, id: string | undefined): Promise<ResolvedLeaf | null> {
  const defaults = headerDefaults(c);
  const named =
    defaults.provider !== undefined || defaults.virtualKey !== undefined || defaults.customHost !== undefined;
  if (!named && virtualKeyRef(HEADER_TARGET, defaults, id) === null) return null;
  const options = { hasConfig: false, breakers: false, model: id, virtualKeys: virtualKeyResolver(c) };
  const leaf = await resolveLeaf(HEADER_TARGET, defaults, c.env, options);
  const { outcome } = c.var;
  outcome.route.provider = leaf.provider;
  // The stored provider key is redacted from errors and logs like the caller's own credentials.
  if (leaf.virtualKey?.credential) outcome.redact = [leaf.virtualKey.credential.api_key];
  admitNamedTarget(outcome.governance, callerOf(c)?.key ?? null, leaf);
  return leaf;
}

async function modelsOf(c: AppContext, leaf: ResolvedLeaf | null): Promise<ModelEntry[]> {
  if (!leaf) return catalogModels(c);
  const { target } = leaf.routed;
  const provider = listableProvider(target);
  // The provider's public default base URL, with no credential of the gateway's choosing, adds nothing to the
  // catalog: only a host or a stored key of the caller's makes the upstream's own list worth fetching.
  const upstream =
    provider !== null && (target.customHost !== undefined || leaf.virtualKey !== undefined || provider === "custom");
  const models = upstream
    ? await fetchUpstreamModels(
        provider,
        target,
        leaf.routed.requestTimeoutMs ?? DEFAULT_MODELS_TIMEOUT_MS,
        c.var.outcome.route,
      )
    : await catalogModels(c, leaf.provider);
  return allowedFor(models, callerOf(c)?.key ?? null, leaf.virtualKey);
}

export async function listModels(c: AppContext): Promise<Response> {
  const leaf = await namedTarget(c, undefined);
  return c.json({ object: "list", data: await modelsOf(c, leaf) });
}

/** The id may hold slashes (`meta-llama/Llama-3`, `@slug/model`); an `@slug/` id is answered with its prefix kept. */
export async function retrieveModel(c: AppContext): Promise<Response> {
  const id = c.req.param("id") ?? "";
  c.var.outcome.route.requestedModel = id;
  const leaf = await namedTarget(c, id);
  const stripped = leaf?.routed.overrideParams?.model;
  const upstreamId = typeof stripped === "string" ? stripped : id;
  const found = (await modelsOf(c, leaf)).find((model) => model.id === upstreamId);
  if (!found) {
    throw new GatewayError(404, `model ${JSON.stringify(id)} not found among the models this request may use`, {
      code: "model_not_found",
      param: "model",
    });
  }
  return c.json({ ...found, id });
}
