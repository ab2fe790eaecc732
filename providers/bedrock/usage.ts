import type { Usage } from "../../schema/openai-response";
import type { BedrockUsage } from "./wire";

/**
 * Converse reports `inputTokens` without the tokens read from or written to the prompt cache (as Anthropic does),
 * so OpenAI's `prompt_tokens` is the sum of the three; the cache read is `prompt_tokens_details.cached_tokens` and
 * the cache write travels in the `cache_creation_input_tokens` extension field for cost accounting.
 */
export function toOpenAIUsage(usage: BedrockUsage): Usage {
  const cacheRead = usage.cacheReadInputTokens ?? 0;
  const cacheWrite = usage.cacheWriteInputTokens ?? 0;
  const prompt = usage.inputTokens + cacheRead + cacheWrite;
  const out: Usage = {
    prompt_tokens: prompt,
    completion_tokens: usage.outputTokens,
    total_tokens: prompt + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: cacheRead },
  };
  if (cacheWrite > 0) out.cache_creation_input_tokens = cacheWrite;
  return out;
}
