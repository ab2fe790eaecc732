import type { FinishReason, ResponseToolCall, Usage } from "../../schema/openai-response";
import type { GeminiPart, GeminiUsageMetadata } from "./wire";

/** Finish reasons that mean "output withheld by a filter". */
const FILTERED = new Set([
  "SAFETY",
  "RECITATION",
  "BLOCKLIST",
  "PROHIBITED_CONTENT",
  "SPII",
  "IMAGE_SAFETY",
  "IMAGE_PROHIBITED_CONTENT",
  "IMAGE_RECITATION",
]);

/**
 * Gemini finishReason -> OpenAI finish_reason. STOP is "tool_calls" when the candidate called functions;
 * MAX_TOKENS is "length"; the safety / recitation family is "content_filter"; anything else (OTHER, LANGUAGE,
 * MALFORMED_FUNCTION_CALL, FINISH_REASON_UNSPECIFIED, reasons added later) is "stop" ("tool_calls" with calls).
 */
export function mapFinishReason(reason: string, hasToolCalls: boolean): FinishReason {
  if (reason === "MAX_TOKENS") return "length";
  if (FILTERED.has(reason)) return "content_filter";
  return hasToolCalls ? "tool_calls" : "stop";
}

/**
 * usageMetadata -> OpenAI usage. Gemini's promptTokenCount already includes cached tokens (as OpenAI's does);
 * tool-use prompt tokens (built-in tools) are input too. OpenAI counts reasoning inside completion tokens, Gemini
 * reports thoughts apart from candidates, so completion = candidates + thoughts.
 */
export function mapUsage(meta: GeminiUsageMetadata): Usage {
  const prompt = (meta.promptTokenCount ?? 0) + (meta.toolUsePromptTokenCount ?? 0);
  const thoughts = meta.thoughtsTokenCount ?? 0;
  const completion = (meta.candidatesTokenCount ?? 0) + thoughts;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: meta.totalTokenCount ?? prompt + completion,
    prompt_tokens_details: { cached_tokens: meta.cachedContentTokenCount ?? 0 },
    completion_tokens_details: { reasoning_tokens: thoughts },
  };
}

/**
 * A tool call as we return it. `extra_content.google.thought_signature` is Google's own OpenAI-compatible carrier
 * for the signature Gemini 3 requires back with the call; clients that append the assistant message to the history
 * return it unchanged, and the request mapper puts it back on the functionCall part.
 */
export interface GoogleToolCall extends ResponseToolCall {
  extra_content?: { google: { thought_signature: string } };
}

export function newToolCallId(): string {
  return `call_${crypto.randomUUID().replace(/-/g, "").slice(0, 24)}`;
}

export function toToolCall(
  part: GeminiPart & { functionCall: NonNullable<GeminiPart["functionCall"]> },
): GoogleToolCall {
  const call: GoogleToolCall = {
    id: part.functionCall.id || newToolCallId(),
    type: "function",
    function: { name: part.functionCall.name, arguments: JSON.stringify(part.functionCall.args ?? {}) },
  };
  if (part.thoughtSignature) call.extra_content = { google: { thought_signature: part.thoughtSignature } };
  return call;
}

export type FunctionCallPart = Parameters<typeof toToolCall>[0];

export function isFunctionCallPart(part: GeminiPart): part is FunctionCallPart {
  return part.functionCall != null;
}

/** Text parts, split into answer text and thought summaries. Empty text (signature carriers) is skipped. */
export function splitText(parts: GeminiPart[]): { text: string[]; thoughts: string[] } {
  const text: string[] = [];
  const thoughts: string[] = [];
  for (const part of parts) {
    if (typeof part.text !== "string" || part.text === "" || part.functionCall) continue;
    (part.thought ? thoughts : text).push(part.text);
  }
  return { text, thoughts };
}
