import { OPENAI_COMPATIBLE_PROVIDER_IDS, type ProviderId } from "../schema/provider-ids";
import { anthropicAdapter } from "./anthropic";
import { bedrockAdapter } from "./bedrock";
import { cohereAdapter } from "./cohere";
import { workersAiAdapter } from "./workers-ai";
import { vertexAdapter } from "./vertex";
import { googleAdapter } from "./google";
import { createCompatibleAdapter } from "./openai-compatible/adapter";
import type { ProviderAdapter } from "./types";

/** Every provider id maps to exactly one adapter; built once at module scope, not per request. */
const ADAPTERS = Object.fromEntries([
  ...OPENAI_COMPATIBLE_PROVIDER_IDS.map((id) => [id, createCompatibleAdapter(id)] as const),
  ["anthropic", anthropicAdapter] as const,
  ["google", googleAdapter] as const,
  ["cohere", cohereAdapter] as const,
  ["workers-ai", workersAiAdapter] as const,
  ["bedrock", bedrockAdapter] as const,
  ["vertex-ai", vertexAdapter] as const,
]) as Record<ProviderId, ProviderAdapter>;

export function adapterFor(provider: ProviderId): ProviderAdapter {
  return ADAPTERS[provider];
}
