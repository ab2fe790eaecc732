import type { ProviderId } from "../schema/provider-ids";
import type { ChatCompletionRequest, CompletionRequest, EmbeddingsRequest } from "../schema/openai-request";
import type { ChatCompletion, ChatCompletionChunk, EmbeddingsResponse } from "../schema/openai-response";
import type { SseEvent } from "./shared/sse";

export type Operation = "chat" | "completions" | "embeddings";

export interface AzureOptions {
  resourceName?: string;
  deploymentId?: string;
  apiVersion?: string;
}

/** A target after config resolution: which provider, with which credential, at which base URL. */
export interface ResolvedTarget {
  provider: ProviderId;
  apiKey?: string;
  /** Base URL override, already checked against the custom_host policy. */
  customHost?: string;
  azure?: AzureOptions;
}

/** Everything needed to call the upstream, built by an adapter; the transport adds timeouts and retries. */
export interface UpstreamCall {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** Facts a response mapper needs that the provider's payload may not carry. */
export interface ResponseContext {
  /** The model the client asked for (after override_params); used when the provider does not echo one. */
  model: string;
  /** An id for providers that do not return one (`chatcmpl-...`). */
  fallbackId: string;
  /** Unix seconds. */
  created: number;
}

/**
 * Turns upstream SSE events into OpenAI chunks. Stateful, one per stream. `end` is called when the upstream body
 * closes and throws `IncompleteStreamError` when the provider never sent its terminal event (a cut stream).
 */
export interface ChatStreamMapper {
  onEvent(event: SseEvent): ChatCompletionChunk[];
  end(): ChatCompletionChunk[];
}

export class IncompleteStreamError extends Error {
  override readonly name = "IncompleteStreamError";
}

/**
 * A provider reported an error inside a stream that had already started (Anthropic's `error` event, an
 * OpenAI-style `{"error": ...}` chunk, Gemini's error payload). The client gets it as an SSE error event.
 */
export class UpstreamStreamError extends Error {
  override readonly name: string = "UpstreamStreamError";
  constructor(
    readonly status: number,
    readonly error: NormalisedUpstreamError,
  ) {
    super(error.message);
  }
}

export interface NormalisedUpstreamError {
  message: string;
  type: string;
  code: string | null;
  param: string | null;
}

export interface ChatAdapter {
  /** Must ask the provider for usage on streams even when the client did not (cost accounting needs it). */
  /** `raw`: the client's exact JSON text for `body`, when nothing changed it; a passthrough may forward it. */
  buildRequest(body: ChatCompletionRequest, target: ResolvedTarget, raw?: string): UpstreamCall;
  parseResponse(json: unknown, ctx: ResponseContext): ChatCompletion;
  createStreamMapper(ctx: ResponseContext): ChatStreamMapper;
}

export interface CompletionsAdapter {
  buildRequest(body: CompletionRequest, target: ResolvedTarget, raw?: string): UpstreamCall;
}

export interface EmbeddingsAdapter {
  buildRequest(body: EmbeddingsRequest, target: ResolvedTarget, raw?: string): UpstreamCall;
  /** Gets the request too: the client's encoding_format decides whether vectors are floats or base64. */
  parseResponse(json: unknown, ctx: ResponseContext, request: EmbeddingsRequest): EmbeddingsResponse;
}

/**
 * One adapter per wire format. Operations a provider lacks are simply absent; the gateway answers those with 400.
 * Completions are only offered by OpenAI-compatible providers, whose responses pass through unchanged.
 */
export interface ProviderAdapter {
  chat: ChatAdapter;
  completions?: CompletionsAdapter;
  embeddings?: EmbeddingsAdapter;
  /** Normalise an upstream error body (any shape, possibly not JSON) into the OpenAI envelope's fields. */
  parseError(status: number, bodyText: string): NormalisedUpstreamError;
}

/** Thrown by mappers when a provider answers 2xx with a body we cannot understand: the gateway answers 502. */
export class MalformedUpstreamError extends Error {
  override readonly name = "MalformedUpstreamError";
}

/** Thrown by request mappers for a parameter the provider cannot honour (for example n > 1): the gateway answers 400. */
export class UnsupportedParameterError extends Error {
  override readonly name = "UnsupportedParameterError";
  constructor(
    readonly param: string,
    message: string,
    /** The envelope's `code`: "invalid_parameter" for a malformed value (a model id that cannot go in a URL). */
    readonly code: string = "unsupported_parameter",
  ) {
    super(message);
  }
}
