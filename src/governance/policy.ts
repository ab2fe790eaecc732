import type { ProviderId } from "../../schema/provider-ids";
import { GatewayError } from "../errors";
import type { GatewayKeyRecord, VirtualKeyRecord } from "./records";

/**
 * Allowlists (pure): which models, providers and credentials a gateway key (and a virtual key) may use. Every
 * target of a request is checked before the first call, so a config naming a forbidden target is refused the same
 * way whichever target a strategy would pick (403 in docs/contract.md: not allowed).
 */

/** Entries are exact model ids, or a prefix followed by `*` (`claude-*`, `gpt-4o*`). null allows everything. */
export function modelAllowed(patterns: readonly string[] | null, model: string): boolean {
  if (patterns === null) return true;
  return patterns.some((pattern) =>
    pattern.endsWith("*") ? model.startsWith(pattern.slice(0, -1)) : model === pattern,
  );
}

const list = (items: readonly string[]): string => items.join(", ");

export interface TargetFacts {
  /** `config.targets[0]` with a config; null without one (messages then need no path). */
  path: string | null;
  provider: ProviderId;
  /** The model sent upstream (after override_params and `@virtual-key/` stripping), when known. */
  model: string | undefined;
  virtualKey: VirtualKeyRecord | undefined;
}

const forbidden = (where: string | null, message: string, code: string, param: string) =>
  new GatewayError(403, where ? `${where}: ${message}` : message, { code, param });

/** 403 for the first rule the target breaks; nothing when it is allowed. */
export function checkTarget(key: GatewayKeyRecord | null, facts: TargetFacts): void {
  const { path, provider, model, virtualKey } = facts;
  const keyName = key ? `gateway key ${JSON.stringify(key.name)}` : "";
  const configParam = path ? "x-portkey-config" : null;
  if (key?.allowedProviders && !key.allowedProviders.includes(provider)) {
    throw forbidden(
      path,
      `provider "${provider}" is not allowed for ${keyName} (allowed: ${list(key.allowedProviders)})`,
      "provider_not_allowed",
      configParam ?? "x-portkey-provider",
    );
  }
  if (key?.allowedVirtualKeys && !virtualKey) {
    throw forbidden(
      path,
      `${keyName} may only use its virtual keys (${list(key.allowedVirtualKeys)}), not a provider key sent with the request`,
      "virtual_key_required",
      configParam ?? "x-portkey-virtual-key",
    );
  }
  if (model === undefined) return; // body validation answers 400 for a missing model
  if (key && !modelAllowed(key.allowedModels, model)) {
    throw forbidden(
      path,
      `model "${model}" is not allowed for ${keyName} (allowed: ${list(key.allowedModels ?? [])})`,
      "model_not_allowed",
      configParam ?? "model",
    );
  }
  if (virtualKey && !modelAllowed(virtualKey.allowedModels, model)) {
    throw forbidden(
      path,
      `model "${model}" is not allowed for virtual key ${JSON.stringify(virtualKey.slug)} (allowed: ${list(virtualKey.allowedModels ?? [])})`,
      "model_not_allowed",
      configParam ?? "model",
    );
  }
}
