import type { ResponseToolCall, Usage } from "../../schema/openai-response";
import type { WorkersAiToolCall, WorkersAiUsage } from "./wire";

export function toOpenAIUsage(usage: WorkersAiUsage | null | undefined): Usage {
  const prompt = usage?.prompt_tokens ?? 0;
  const completion = usage?.completion_tokens ?? 0;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: usage?.total_tokens ?? prompt + completion,
  };
}

const argumentsText = (value: unknown): string => (typeof value === "string" ? value : JSON.stringify(value ?? {}));

/** Both tool-call shapes -> OpenAI's; models that send no id get one (OpenAI clients match results by id). */
export function toOpenAIToolCall(call: WorkersAiToolCall, makeId: () => string): ResponseToolCall {
  const nested: unknown = call.function;
  const fn =
    typeof nested === "object" && nested !== null
      ? (nested as { name: string; arguments?: unknown })
      : (call as { name: string; arguments?: unknown });
  return {
    id: call.id ?? makeId(),
    type: "function",
    function: { name: fn.name, arguments: argumentsText(fn.arguments) },
  };
}

export function newToolCallId(): string {
  return `call_${crypto.randomUUID().replaceAll("-", "").slice(0, 24)}`;
}
