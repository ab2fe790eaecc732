import { z } from "zod";
import type { OpenAICompatibleProviderId } from "../../schema/provider-ids";
import type { ChatCompletionRequest, CompletionRequest, EmbeddingsRequest } from "../../schema/openai-request";
import type { ChatCompletion, ChatCompletionChunk, EmbeddingsResponse } from "../../schema/openai-response";
import { normaliseOpenAIStyleError } from "../shared/errors";
import { parseJsonText, parseUpstream } from "../shared/json";
import type { SseEvent } from "../shared/sse";
import {
  IncompleteStreamError,
  UnsupportedParameterError,
  UpstreamStreamError,
  type ChatStreamMapper,
  type ProviderAdapter,
  type ResolvedTarget,
  type UpstreamCall,
} from "../types";
import { COMPATIBLE_PROVIDERS, type CompatibleProviderSpec } from "./table";
import { compatibleHeaders, compatibleUrl } from "./urls";

type StreamableRequest = ChatCompletionRequest | CompletionRequest;

/** Apply the provider's dialect to an OpenAI body; everything we do not know passes through untouched. */
function dialectBody<T extends StreamableRequest>(body: T, spec: CompatibleProviderSpec, provider: string): T {
  if (body.n != null && body.n > spec.maxN) {
    throw new UnsupportedParameterError("n", `provider "${provider}" supports n up to ${spec.maxN}`);
  }
  const out: Record<string, unknown> = { ...body };
  // Cost accounting needs usage on every stream, asked for or not; the gateway strips it from the client's
  // stream when the client did not ask.
  if (body.stream && spec.streamOptions) out.stream_options = { ...body.stream_options, include_usage: true };
  if (spec.legacyMaxTokens && "max_completion_tokens" in out) {
    out.max_tokens ??= out.max_completion_tokens;
    delete out.max_completion_tokens;
  }
  for (const [from, to] of Object.entries(spec.renamedParams ?? {})) {
    if (from in out) {
      out[to] = out[from];
      delete out[from];
    }
  }
  return out as T;
}

const chatCompletionShape = z.looseObject({
  id: z.string(),
  choices: z.array(z.looseObject({ index: z.number(), message: z.looseObject({}) })),
});
const embeddingsShape = z.looseObject({
  data: z.array(z.looseObject({ index: z.number(), embedding: z.union([z.array(z.number()), z.string()]) })),
});
const streamChunkShape = z.looseObject({ choices: z.array(z.looseObject({})).optional() });

/** OpenAI-style streams end with `data: [DONE]`; a body that closes before it was cut. */
function createPassthroughStreamMapper(): ChatStreamMapper {
  let done = false;
  return {
    onEvent(event: SseEvent) {
      if (event.data === "[DONE]") {
        done = true;
        return [];
      }
      const json = parseJsonText(event.data, "a stream event");
      if (typeof json === "object" && json !== null && "error" in json) {
        throw new UpstreamStreamError(500, normaliseOpenAIStyleError(500, event.data));
      }
      // Validated loosely: the chunk passes through as the provider sent it.
      return [parseUpstream(streamChunkShape, json, "stream chunk") as unknown as ChatCompletionChunk];
    },
    end() {
      if (!done) throw new IncompleteStreamError("upstream stream ended before [DONE]");
      return [];
    },
  };
}

export function createCompatibleAdapter(provider: OpenAICompatibleProviderId): ProviderAdapter {
  const spec = COMPATIBLE_PROVIDERS[provider];
  const call = (target: ResolvedTarget, operation: "chat" | "completions" | "embeddings", body: { model: string }): UpstreamCall => ({
    url: compatibleUrl(provider, target, operation, body.model),
    headers: compatibleHeaders(provider, target),
    body: JSON.stringify(body),
  });
  const has = (operation: "completions" | "embeddings") => spec.operations.includes(operation);

  const adapter: ProviderAdapter = {
    chat: {
      buildRequest: (body, target) => call(target, "chat", dialectBody(body, spec, provider)),
      parseResponse: (json) => parseUpstream(chatCompletionShape, json, "chat completion") as unknown as ChatCompletion,
      createStreamMapper: createPassthroughStreamMapper,
    },
    parseError: normaliseOpenAIStyleError,
  };
  if (has("completions")) {
    adapter.completions = {
      buildRequest: (body: CompletionRequest, target) => call(target, "completions", dialectBody(body, spec, provider)),
    };
  }
  if (has("embeddings")) {
    adapter.embeddings = {
      buildRequest: (body: EmbeddingsRequest, target) => call(target, "embeddings", body),
      parseResponse: (json) => parseUpstream(embeddingsShape, json, "embeddings") as unknown as EmbeddingsResponse,
    };
  }
  return adapter;
}

export { createPassthroughStreamMapper };
