import type { ResolvedTarget } from "../../providers/types";
import type { AppContext } from "../context";
import { callerOf } from "../governance/caller";
import { sha256Hex } from "./canonical";

/**
 * The tenant an entry belongs to, most shared first: the gateway key's team, else the gateway key (both from
 * governance's caller), else (passthrough mode, no gateway key) the provider credential itself, so two different
 * API keys never share an entry. A target without any credential (a local Ollama) is "anonymous".
 */
export function tenantOf(c: AppContext, target: ResolvedTarget): string {
  const key = callerOf(c)?.key;
  if (key?.team) return `team:${key.team}`;
  const keyId = key?.id ?? c.var.outcome.gatewayKeyId;
  if (keyId) return `key:${keyId}`;
  if (target.apiKey) return `credential:${target.provider}:${target.apiKey}`;
  return "anonymous";
}

/**
 * The scope id in KV keys: a 128-bit SHA-256 prefix of the tenant, so a key name never carries a credential and
 * one tenant cannot name (let alone read) another's entries.
 */
export async function scopeId(tenant: string): Promise<string> {
  return (await sha256Hex(`scope:${tenant}`)).slice(0, 32);
}
