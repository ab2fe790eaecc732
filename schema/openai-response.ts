/**
 * Response shapes of the OpenAI API that the gateway produces. These are output types (we build them), so they
 * are plain TypeScript rather than zod schemas.
 */

export type FinishReason = "stop" | "length" | "tool_calls" | "content_filter" | "function_call";

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens?: number; audio_tokens?: number };
  completion_tokens_details?: { reasoning_tokens?: number; audio_tokens?: number };
  /** Gateway extension: tokens written to a provider's prompt cache (Anthropic cache_creation_input_tokens). */
  cache_creation_input_tokens?: number;
}

/** Provider-specific data a client must send back with the tool call (Gemini's thought signatures). */
export interface ToolCallExtraContent {
  google?: { thought_signature?: string };
}

export interface ResponseToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
  extra_content?: ToolCallExtraContent;
}

export interface ChatCompletionMessage {
  role: "assistant";
  content: string | null;
  refusal?: string | null;
  tool_calls?: ResponseToolCall[];
  /** Reasoning text where a provider exposes it (Anthropic thinking, Gemini thoughts). */
  reasoning_content?: string;
}

export interface ChatCompletionChoice {
  index: number;
  message: ChatCompletionMessage;
  finish_reason: FinishReason | null;
  logprobs: null | Record<string, unknown>;
}

export interface ChatCompletion {
  id: string;
  object: "chat.completion";
  created: number;
  model: string;
  choices: ChatCompletionChoice[];
  usage?: Usage;
  system_fingerprint?: string | null;
}

export interface ChunkToolCallDelta {
  index: number;
  id?: string;
  type?: "function";
  function?: { name?: string; arguments?: string };
  extra_content?: ToolCallExtraContent;
}

export interface ChunkDelta {
  role?: "assistant";
  content?: string | null;
  reasoning_content?: string;
  refusal?: string | null;
  tool_calls?: ChunkToolCallDelta[];
}

export interface ChatCompletionChunkChoice {
  index: number;
  delta: ChunkDelta;
  finish_reason: FinishReason | null;
  logprobs?: null | Record<string, unknown>;
}

export interface ChatCompletionChunk {
  id: string;
  object: "chat.completion.chunk";
  created: number;
  model: string;
  choices: ChatCompletionChunkChoice[];
  usage?: Usage | null;
  system_fingerprint?: string | null;
}

export interface Embedding {
  object: "embedding";
  index: number;
  embedding: number[] | string;
}

export interface EmbeddingsResponse {
  object: "list";
  data: Embedding[];
  model: string;
  usage: { prompt_tokens: number; total_tokens: number };
}

export interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}
