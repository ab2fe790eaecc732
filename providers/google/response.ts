import type { ChatCompletion, ChatCompletionChoice, ChatCompletionMessage } from "../../schema/openai-response";
import { parseUpstream } from "../shared/json";
import { MalformedUpstreamError, type ResponseContext } from "../types";
import { isFunctionCallPart, mapFinishReason, mapUsage, splitText, toToolCall } from "./mapping";
import { generateContentResponseSchema, type GeminiCandidate, type GenerateContentResponse } from "./wire";

function toChoice(candidate: GeminiCandidate, position: number): ChatCompletionChoice {
  const parts = candidate.content?.parts ?? [];
  const { text, thoughts } = splitText(parts);
  const toolCalls = parts.filter(isFunctionCallPart).map(toToolCall);
  const message: ChatCompletionMessage = { role: "assistant", content: text.length > 0 ? text.join("") : null };
  if (thoughts.length > 0) message.reasoning_content = thoughts.join("");
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return {
    index: candidate.index ?? position,
    message,
    finish_reason: mapFinishReason(candidate.finishReason ?? "STOP", toolCalls.length > 0),
    logprobs: null,
  };
}

/** A prompt blocked before generation has no candidates: answer one empty, filtered choice. */
function blockedChoice(): ChatCompletionChoice {
  return { index: 0, message: { role: "assistant", content: null }, finish_reason: "content_filter", logprobs: null };
}

function toChoices(response: GenerateContentResponse): ChatCompletionChoice[] {
  const candidates = response.candidates ?? [];
  if (candidates.length > 0) return candidates.map(toChoice).sort((a, b) => a.index - b.index);
  if (response.promptFeedback?.blockReason) return [blockedChoice()];
  throw new MalformedUpstreamError("malformed chat completion from upstream (no candidates and no block reason)");
}

/** `GenerateContentResponse` -> OpenAI `chat.completion`. */
export function parseChatResponse(json: unknown, ctx: ResponseContext): ChatCompletion {
  const response = parseUpstream(generateContentResponseSchema, json, "chat completion");
  const completion: ChatCompletion = {
    id: response.responseId || ctx.fallbackId,
    object: "chat.completion",
    created: ctx.created,
    model: response.modelVersion || ctx.model,
    choices: toChoices(response),
  };
  if (response.usageMetadata) completion.usage = mapUsage(response.usageMetadata);
  return completion;
}
