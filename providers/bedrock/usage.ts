import type { Usage } from "../../schema/openai-response";
import { toOpenAIUsage as anthropicToOpenAIUsage } from "../anthropic/usage";
import type { BedrockUsage } from "./wire";

/**
 * Converse counts tokens as Anthropic does (`inputTokens` without the cache reads and writes), only in camelCase,
 * so the arithmetic is Anthropic's: prompt = input + cache read + cache write.
 */
export function toOpenAIUsage(usage: BedrockUsage): Usage {
  return anthropicToOpenAIUsage({
    input_tokens: usage.inputTokens,
    output_tokens: usage.outputTokens,
    cache_read_input_tokens: usage.cacheReadInputTokens,
    cache_creation_input_tokens: usage.cacheWriteInputTokens,
  });
}
