import * as z from "zod";
import type { OpenAICompatibleProviderId } from "../../schema/provider-ids";
import type { ChatCompletionRequest, CompletionRequest, EmbeddingsRequest } from "../../schema/openai-request";
import type { ChatCompletion, ChatCompletionChunk, EmbeddingsResponse } from "../../schema/openai-response";
import { normaliseOpenAIStyleError } from "../shared/errors";
import { parseJsonText, parseUpstream } from "../shared/json";
import { withRawText } from "../shared/raw";
import type { SseEvent } from "../shared/sse";
import {
  IncompleteStreamError,
  MalformedUpstreamError,
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

function needsDialect(body: StreamableRequest, spec: CompatibleProviderSpec): boolean {
  if (body.stream && spec.streamOptions) return true;
  if (spec.legacyMaxTokens && "max_completion_tokens" in body) return true;
  return Object.keys(spec.renamedParams ?? {}).some((param) => param in body);
}

/**
 * Apply the provider's dialect to an OpenAI body; everything we do not know passes through untouched. Returns the
 * body itself when the dialect changes nothing, so the caller can forward the client's text as it came.
 */
function dialectBody<T extends StreamableRequest>(body: T, spec: CompatibleProviderSpec, provider: string): T {
  if (body.n != null && body.n > spec.maxN) {
    throw new UnsupportedParameterError("n", `provider "${provider}" supports n up to ${spec.maxN}`);
  }
  if (!needsDialect(body, spec)) return body;
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

function isStreamChunk(json: unknown): json is ChatCompletionChunk {
  if (typeof json !== "object" || json === null || Array.isArray(json)) return false;
  const choices = (json as { choices?: unknown }).choices;
  return choices === undefined || Array.isArray(choices);
}

/**
 * OpenAI-style streams end with `data: [DONE]`; a body that closes before it was cut. Chunks are checked, not
 * rebuilt: each keeps its raw text so the gateway can forward the provider's bytes.
 */
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
      if (!isStreamChunk(json)) throw new MalformedUpstreamError("malformed stream chunk from upstream");
      json.choices ??= [];
      return [withRawText(json, event.data)];
    },
    end() {
      if (!done) throw new IncompleteStreamError("upstream stream ended before [DONE]");
      return [];
    },
  };
}

export function createCompatibleAdapter(provider: OpenAICompatibleProviderId): ProviderAdapter {
  const spec = COMPATIBLE_PROVIDERS[provider];
  type Op = "chat" | "completions" | "embeddings";
  /** `sent` is what goes upstream; when it is still the client's own body, its original text is forwarded. */
  const call = (
    target: ResolvedTarget,
    operation: Op,
    sent: { model: string },
    original: object,
    raw?: string,
  ): UpstreamCall => ({
    url: compatibleUrl(provider, target, operation, sent.model),
    headers: compatibleHeaders(provider, target),
    body: raw !== undefined && sent === original ? raw : JSON.stringify(sent),
  });
  const has = (operation: "completions" | "embeddings") => spec.operations.includes(operation);

  const adapter: ProviderAdapter = {
    chat: {
      buildRequest: (body, target, raw) => call(target, "chat", dialectBody(body, spec, provider), body, raw),
      parseResponse: (json) => parseUpstream(chatCompletionShape, json, "chat completion") as unknown as ChatCompletion,
      createStreamMapper: createPassthroughStreamMapper,
    },
    parseError: normaliseOpenAIStyleError,
  };
  if (has("completions")) {
    adapter.completions = {
      buildRequest: (body: CompletionRequest, target, raw) =>
        call(target, "completions", dialectBody(body, spec, provider), body, raw),
    };
  }
  if (has("embeddings")) {
    adapter.embeddings = {
      buildRequest: (body: EmbeddingsRequest, target, raw) => call(target, "embeddings", body, body, raw),
      parseResponse: (json) => parseUpstream(embeddingsShape, json, "embeddings") as unknown as EmbeddingsResponse,
    };
  }
  return adapter;
}

export { createPassthroughStreamMapper };
