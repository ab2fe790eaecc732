import type { Usage } from "../../schema/openai-response";

/** The counts Anthropic reports, whether from a message, `message_start` or the cumulative `message_delta`. */
export interface AnthropicTokenCounts {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}

/**
 * Anthropic's `input_tokens` excludes tokens read from or written to the prompt cache; OpenAI's `prompt_tokens`
 * includes cached tokens and reports them again in `prompt_tokens_details.cached_tokens`. So the prompt total is
 * the sum of the three, and cache writes (billed at a premium by Anthropic) travel in the
 * `cache_creation_input_tokens` extension field for cost accounting.
 */
export function toOpenAIUsage(counts: AnthropicTokenCounts): Usage {
  const cacheRead = counts.cache_read_input_tokens ?? 0;
  const cacheWrite = counts.cache_creation_input_tokens ?? 0;
  const prompt = counts.input_tokens + cacheRead + cacheWrite;
  const usage: Usage = {
    prompt_tokens: prompt,
    completion_tokens: counts.output_tokens,
    total_tokens: prompt + counts.output_tokens,
    prompt_tokens_details: { cached_tokens: cacheRead },
  };
  if (cacheWrite > 0) usage.cache_creation_input_tokens = cacheWrite;
  return usage;
}
