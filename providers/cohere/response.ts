import type { ChatCompletion, ChatCompletionMessage, ResponseToolCall } from "../../schema/openai-response";
import { parseUpstream } from "../shared/json";
import { MalformedUpstreamError, type ResponseContext } from "../types";
import { mapFinishReason, toOpenAIUsage } from "./mapping";
import { chatResponseSchema, type CohereChatResponse } from "./wire";

/**
 * Cohere v2 chat response -> OpenAI chat.completion. Text parts are joined into `content`; `tool_plan` (the
 * model's reasoning before it calls tools) becomes `reasoning_content`; citations are kept as they came in the
 * extension field `message.citations` (OpenAI clients ignore it, RAG clients can read it).
 */
export type CohereMappedMessage = ChatCompletionMessage & { citations?: unknown[] };

function toolCalls(message: CohereChatResponse["message"]): ResponseToolCall[] {
  return (message.tool_calls ?? []).map((call) => ({
    id: call.id,
    type: "function",
    function: { name: call.function.name, arguments: call.function.arguments || "{}" },
  }));
}

function toMessage(message: CohereChatResponse["message"]): CohereMappedMessage {
  const texts = (message.content ?? []).filter((part) => part.type === "text").map((part) => part.text ?? "");
  const out: CohereMappedMessage = { role: "assistant", content: texts.length > 0 ? texts.join("") : null };
  const calls = toolCalls(message);
  if (calls.length > 0) out.tool_calls = calls;
  if (message.tool_plan) out.reasoning_content = message.tool_plan;
  if (message.citations?.length) out.citations = message.citations;
  return out;
}

export function parseCohereResponse(json: unknown, ctx: ResponseContext): ChatCompletion {
  const response = parseUpstream(chatResponseSchema, json, "Cohere chat response");
  // A 200 that says the generation failed is no answer: a 502, which routing may retry or fall back from.
  if (response.finish_reason === "ERROR") throw new MalformedUpstreamError("Cohere finished the answer with ERROR");
  const message = toMessage(response.message);
  return {
    id: response.id,
    object: "chat.completion",
    created: ctx.created,
    model: ctx.model,
    choices: [
      {
        index: 0,
        message,
        finish_reason: mapFinishReason(response.finish_reason, message.tool_calls !== undefined),
        logprobs: null,
      },
    ],
    usage: toOpenAIUsage(response.usage),
  };
}
