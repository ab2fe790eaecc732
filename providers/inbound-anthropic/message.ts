import type { FinishReason, Usage } from "../../schema/openai-response";

/**
 * The Anthropic `message` object and its parts as the gateway writes them on /v1/messages when the answer came
 * from a provider other than Anthropic (output types, plain TypeScript). Shared by the JSON and stream mappings.
 */

export type StopReason = "end_turn" | "max_tokens" | "stop_sequence" | "tool_use" | "refusal";

export interface MessageUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

export type MessageContentBlock =
  | { type: "text"; text: string }
  | { type: "thinking"; thinking: string; signature: string }
  | { type: "tool_use"; id: string; name: string; input: Record<string, unknown> };

export interface AnthropicMessageOut {
  id: string;
  type: "message";
  role: "assistant";
  model: string;
  content: MessageContentBlock[];
  stop_reason: StopReason | null;
  stop_sequence: string | null;
  usage: MessageUsage;
}

/**
 * finish_reason -> stop_reason: stop -> end_turn, length -> max_tokens, tool_calls (and the legacy function_call)
 * -> tool_use, content_filter -> refusal. A provider that says "stop" after calling tools (some do) still gets
 * tool_use: that is what tells an Anthropic client to run them. OpenAI-format answers do not say whether a stop
 * sequence ended the answer, so stop_sequence is only ever reported by Anthropic itself.
 */
export function stopReasonOf(finish: FinishReason | string | null | undefined, calledTools: boolean): StopReason {
  if (calledTools && (finish === "stop" || finish === "tool_calls" || finish === "function_call" || finish == null))
    return "tool_use";
  switch (finish) {
    case "length":
      return "max_tokens";
    case "tool_calls":
    case "function_call":
      return "tool_use";
    case "content_filter":
      return "refusal";
    default:
      return "end_turn";
  }
}

/**
 * OpenAI usage -> Anthropic usage. OpenAI's prompt_tokens include cached tokens (reported again in
 * prompt_tokens_details.cached_tokens) and, from the Anthropic adapter, cache writes (cache_creation_input_tokens);
 * Anthropic's input_tokens count neither, so both are taken out: the inverse of providers/anthropic/usage.ts.
 */
export function messageUsageOf(usage: Usage | null | undefined): MessageUsage {
  if (!usage) return { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
  const cacheRead = usage.prompt_tokens_details?.cached_tokens ?? 0;
  const cacheWrite = usage.cache_creation_input_tokens ?? 0;
  return {
    input_tokens: Math.max(0, usage.prompt_tokens - cacheRead - cacheWrite),
    output_tokens: usage.completion_tokens,
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
  };
}

/** Anthropic message ids start with `msg_`; another provider's id is kept after that prefix. */
export const messageIdOf = (id: string): string => (id.startsWith("msg_") ? id : `msg_${id}`);

/** Tool arguments are JSON text in chat; Anthropic wants the object (arguments that are not an object give {}). */
export function toolInputOf(args: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(args);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}
