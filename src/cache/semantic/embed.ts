import { adapterFor } from "../../../providers/registry";
import type { ResolvedTarget } from "../../../providers/types";
import { isProviderId } from "../../../schema/provider-ids";
import type { EmbeddingsRequest } from "../../../schema/openai-request";
import { checkCustomHost, customHostPolicy } from "../../lib/custom-host";
import { fetchUpstream } from "../../lib/fetch-upstream";
import { within } from "../runtime";
import type { SemanticSettings } from "../settings";
import { normalise } from "./vector";

export interface Embedder {
  /** Provider, base URL and model: vectors of different embedders never share a partition. */
  id: string;
  embed(text: string): Promise<Float32Array | null>;
}

/**
 * The embedding target: the configured provider and model, with the SEMANTIC_CACHE_EMBEDDING_API_KEY secret
 * (and SEMANTIC_CACHE_EMBEDDING_HOST), or else the answering target's own credential and base URL when it is
 * the same provider, so the tenant pays for its own embeddings. Null when neither gives a usable target.
 */
export function embedderFor(settings: SemanticSettings, answering: ResolvedTarget, env: Env): Embedder | null {
  const provider = settings.provider.toLowerCase();
  if (!isProviderId(provider)) return null;
  const adapter = adapterFor(provider).embeddings;
  if (!adapter) return null;
  let target: ResolvedTarget;
  if (settings.apiKey !== undefined) {
    target = { provider, apiKey: settings.apiKey };
    if (settings.host) target.customHost = checkCustomHost(settings.host, customHostPolicy(env));
  } else if (answering.provider === provider) {
    target = { ...answering };
  } else {
    return null;
  }
  const id = `${provider}|${target.customHost ?? "default"}|${settings.model}`;
  return {
    id,
    async embed(text) {
      const request: EmbeddingsRequest = { model: settings.model, input: text };
      // A scratch timing record: the embedding call must not show up as the request's own upstream time.
      const scratch: { upstreamMs?: number } = {};
      const timeoutMs = settings.embeddingTimeoutMs;
      const deadline = performance.now() + timeoutMs;
      try {
        // fetchUpstream's timeout aborts a call without headers; `within` bounds a body that trickles in after them.
        const response = await fetchUpstream(adapter.buildRequest(request, target), timeoutMs, scratch);
        if (!response.ok) {
          console.warn(`semantic cache: embedding call answered ${response.status}`);
          await response.body?.cancel();
          return null;
        }
        const ctx = { model: settings.model, created: Math.floor(Date.now() / 1000), fallbackId: "embedding" };
        const json: unknown = await within(response.json(), Math.max(1, deadline - performance.now()), null);
        if (json === null) throw new Error(`the embedding did not arrive within ${timeoutMs} ms`);
        const [first] = adapter.parseResponse(json, ctx, request).data;
        return first && Array.isArray(first.embedding) ? normalise(first.embedding) : null;
      } catch (error) {
        console.warn("semantic cache: embedding failed", error instanceof Error ? error.message : error);
        return null;
      }
    },
  };
}
