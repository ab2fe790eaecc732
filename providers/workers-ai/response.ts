import type { ChatCompletion, ChatCompletionMessage } from "../../schema/openai-response";
import { parseUpstream } from "../shared/json";
import type { ResponseContext } from "../types";
import { newToolCallId, toOpenAIToolCall, toOpenAIUsage } from "./mapping";
import { textResultSchema, unwrapResult } from "./wire";

/**
 * `{response, tool_calls?, usage}` (the binding's object or the REST API's `result`) -> OpenAI chat.completion.
 * Workers AI reports no finish reason: tool calls make it `tool_calls`, anything else `stop`.
 */
export function parseWorkersAiResponse(json: unknown, ctx: ResponseContext): ChatCompletion {
  const result = parseUpstream(textResultSchema, unwrapResult(json), "Workers AI response");
  const message: ChatCompletionMessage = { role: "assistant", content: result.response ?? null };
  const calls = (result.tool_calls ?? []).map((call) => toOpenAIToolCall(call, newToolCallId));
  if (calls.length > 0) message.tool_calls = calls;
  return {
    id: ctx.fallbackId,
    object: "chat.completion",
    created: ctx.created,
    model: ctx.model,
    choices: [{ index: 0, message, finish_reason: calls.length > 0 ? "tool_calls" : "stop", logprobs: null }],
    usage: toOpenAIUsage(result.usage),
  };
}
