import type { ProviderId } from "../schema/provider-ids";
import type { ChatCompletionRequest, CompletionRequest, EmbeddingsRequest } from "../schema/openai-request";
import type { ChatCompletion, ChatCompletionChunk, EmbeddingsResponse } from "../schema/openai-response";
import type { SseEvent } from "./shared/sse";
import type { VertexOptions } from "./vertex/options";

export type Operation = "chat" | "completions" | "embeddings";

export interface AzureOptions {
  resourceName?: string;
  deploymentId?: string;
  apiVersion?: string;
}

/** AWS credentials and region (Bedrock): IAM keys sign requests with SigV4; the region picks the endpoint. */
export interface AwsOptions {
  region?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
}

/** A target after config resolution: which provider, with which credential, at which base URL. */
export interface ResolvedTarget {
  provider: ProviderId;
  apiKey?: string;
  /** Base URL override, already checked against the custom_host policy. */
  customHost?: string;
  azure?: AzureOptions;
  aws?: AwsOptions;
  /** Google Vertex AI: project, region and service account (providers/vertex/options.ts). */
  vertex?: VertexOptions;
  /** Workers AI over REST: the Cloudflare account (x-portkey-workers-ai-account-id). */
  cloudflareAccountId?: string;
}

/** Everything needed to call the upstream, built by an adapter; the transport adds timeouts and retries. */
export interface UpstreamCall {
  url: string;
  headers: Record<string, string>;
  body: string;
  /**
   * A step that must see the final call and may be async (AWS SigV4 over URL, headers and body; an OAuth token):
   * applied by the pipeline right before the fetch, after forwarded headers are merged.
   */
  sign?: (call: UpstreamCall) => Promise<UpstreamCall>;
  /** Set when the call goes through a Worker binding instead of HTTP (Workers AI's `AI`); `url` is then informational. */
  binding?: BindingCall;
}

/** `env[name].run(model, inputs)`: the binding answers what the REST API would, without the HTTP envelope. */
export interface BindingCall {
  name: "AI";
  model: string;
  inputs: Record<string, unknown>;
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
  /**
   * For streams that are not SSE (Bedrock's binary event-stream): the decoder of the upstream bytes, which feeds
   * this mapper and hands its chunks to `emit`. Without it the pipeline's SSE decoder calls `onEvent`.
   */
  createDecoder?(emit: (chunks: ChatCompletionChunk[]) => void): StreamDecoder;
}

/** Splits an upstream body into events as network reads arrive; `end` throws when the body stopped mid-event. */
export interface StreamDecoder {
  push(bytes: Uint8Array): void;
  end(): void;
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
  /** The status to answer with when it differs from the provider's HTTP status (Bedrock's ModelNotReadyException). */
  status?: number;
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
  parseError(status: number, bodyText: string, headers?: Headers): NormalisedUpstreamError;
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
