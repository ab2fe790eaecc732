import type { FinishReason, Usage } from "../../schema/openai-response";
import type { CohereUsage } from "./wire";

/**
 * Cohere's finish reasons -> OpenAI's. ERROR is not a finish: the stream mapper and the response mapper raise it
 * as an upstream error instead (see stream.ts, response.ts). ERROR_TOXIC (older models) is a content filter stop.
 */
const FINISH: Readonly<Record<string, FinishReason>> = {
  COMPLETE: "stop",
  STOP_SEQUENCE: "stop",
  MAX_TOKENS: "length",
  TOOL_CALL: "tool_calls",
  ERROR_TOXIC: "content_filter",
  ERROR_LIMIT: "length",
};

export function mapFinishReason(reason: string | null | undefined, calledTools: boolean): FinishReason {
  const mapped = reason ? FINISH[reason] : undefined;
  return mapped ?? (calledTools ? "tool_calls" : "stop");
}

/**
 * Usage from `billed_units` (what Cohere charges, so what cost accounting must use), falling back to `tokens`
 * (which also counts Cohere's own prompt template) when billed units are absent.
 */
export function toOpenAIUsage(usage: CohereUsage | null | undefined): Usage {
  const prompt = usage?.billed_units?.input_tokens ?? usage?.tokens?.input_tokens ?? 0;
  const completion = usage?.billed_units?.output_tokens ?? usage?.tokens?.output_tokens ?? 0;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}
