/** Every provider slug the gateway understands. Adapters are looked up by these ids. */
export const OPENAI_COMPATIBLE_PROVIDER_IDS = [
  "openai",
  "azure-openai",
  "groq",
  "together-ai",
  "fireworks-ai",
  "deepseek",
  "x-ai",
  "perplexity-ai",
  "mistral-ai",
  "openrouter",
  "cerebras",
  "deepinfra",
  "nebius",
  "ollama",
  "custom",
  "azure-ai",
  "huggingface",
  "sambanova",
  "novita-ai",
  "lambda",
  "nscale",
  "moonshot",
  "dashscope",
  "zhipu",
  "z-ai",
  "hyperbolic",
] as const;

export const PROVIDER_IDS = [
  ...OPENAI_COMPATIBLE_PROVIDER_IDS,
  "anthropic",
  "google",
  "cohere",
  "workers-ai",
  "bedrock",
  "vertex-ai",
] as const;

export type ProviderId = (typeof PROVIDER_IDS)[number];
export type OpenAICompatibleProviderId = (typeof OPENAI_COMPATIBLE_PROVIDER_IDS)[number];

const providerIdSet: ReadonlySet<string> = new Set(PROVIDER_IDS);

export function isProviderId(value: string): value is ProviderId {
  return providerIdSet.has(value);
}

const compatibleIdSet: ReadonlySet<string> = new Set(OPENAI_COMPATIBLE_PROVIDER_IDS);

/** Providers whose wire format is OpenAI's own: their answers pass through untranslated. */
export function isOpenAICompatible(value: ProviderId): value is OpenAICompatibleProviderId {
  return compatibleIdSet.has(value);
}
