import type { OpenAICompatibleProviderId } from "../../schema/provider-ids";
import type { Operation } from "../types";

/**
 * The OpenAI-compatible family as one table: each row says where the provider lives, how it authenticates and
 * which quirks its OpenAI dialect has. One adapter (./adapter.ts) serves every row.
 */
export interface CompatibleProviderSpec {
  /** Default base URL; `custom_host` replaces it. `null`: the caller must give a custom host. */
  baseUrl: string | null;
  /** How the key travels: `Authorization: Bearer`, or Azure's `api-key` header. */
  auth: "bearer" | "api-key";
  operations: readonly Operation[];
  /** Accepts `stream_options.include_usage` (otherwise it sends usage on its own, or never). */
  streamOptions: boolean;
  /** Upstream understands only `max_tokens`: `max_completion_tokens` is renamed. */
  legacyMaxTokens: boolean;
  /** Largest `n` the provider accepts; larger values get a 400 from the gateway. */
  maxN: number;
  /** Parameters the provider names differently. */
  renamedParams?: Readonly<Record<string, string>>;
  /** A query string every call needs (Azure AI's `api-version`). */
  query?: string;
}

const ALL: readonly Operation[] = ["chat", "completions", "embeddings"];
const CHAT_AND_EMBEDDINGS: readonly Operation[] = ["chat", "embeddings"];
const CHAT_ONLY: readonly Operation[] = ["chat"];

const row = (spec: Partial<CompatibleProviderSpec> & Pick<CompatibleProviderSpec, "baseUrl" | "operations">) => ({
  auth: "bearer" as const,
  streamOptions: true,
  legacyMaxTokens: true,
  maxN: 128,
  ...spec,
});

export const COMPATIBLE_PROVIDERS: Readonly<Record<OpenAICompatibleProviderId, CompatibleProviderSpec>> = {
  openai: row({ baseUrl: "https://api.openai.com/v1", operations: ALL, legacyMaxTokens: false }),
  // Base URL is built from x-portkey-azure-resource-name / deployment / api-version (see azure.ts).
  "azure-openai": row({ baseUrl: null, auth: "api-key", operations: ALL, legacyMaxTokens: false }),
  groq: row({ baseUrl: "https://api.groq.com/openai/v1", operations: CHAT_ONLY, maxN: 1 }),
  "together-ai": row({ baseUrl: "https://api.together.xyz/v1", operations: ALL }),
  "fireworks-ai": row({ baseUrl: "https://api.fireworks.ai/inference/v1", operations: ALL }),
  deepseek: row({ baseUrl: "https://api.deepseek.com/v1", operations: CHAT_ONLY, maxN: 1 }),
  "x-ai": row({ baseUrl: "https://api.x.ai/v1", operations: CHAT_AND_EMBEDDINGS }),
  // Perplexity always reports usage in its last chunk and rejects n.
  "perplexity-ai": row({ baseUrl: "https://api.perplexity.ai", operations: CHAT_ONLY, streamOptions: false, maxN: 1 }),
  // Mistral reports stream usage unasked, calls the seed random_seed, and has no n.
  "mistral-ai": row({
    baseUrl: "https://api.mistral.ai/v1",
    operations: CHAT_AND_EMBEDDINGS,
    streamOptions: false,
    maxN: 1,
    renamedParams: { seed: "random_seed" },
  }),
  openrouter: row({ baseUrl: "https://openrouter.ai/api/v1", operations: ["chat", "completions"] }),
  cerebras: row({ baseUrl: "https://api.cerebras.ai/v1", operations: ["chat", "completions"], maxN: 1 }),
  deepinfra: row({ baseUrl: "https://api.deepinfra.com/v1/openai", operations: ALL }),
  nebius: row({ baseUrl: "https://api.studio.nebius.com/v1", operations: ALL }),
  // Local by nature: the default is loopback, which the custom_host policy only permits in development.
  ollama: row({ baseUrl: "http://127.0.0.1:11434/v1", operations: ALL, maxN: 1 }),
  // Any OpenAI-compatible server (vLLM, LM Studio, llama.cpp): custom_host is required.
  custom: row({ baseUrl: null, operations: ALL, legacyMaxTokens: false }),
  // Azure AI Foundry model inference: https://<resource>.services.ai.azure.com/models, the deployment named by
  // `model`, the key in `api-key`, api-version required (x-portkey-azure-api-version overrides it; see urls.ts).
  "azure-ai": row({
    baseUrl: null,
    auth: "api-key",
    operations: CHAT_AND_EMBEDDINGS,
    maxN: 1,
    query: "api-version=2024-05-01-preview",
  }),
  // Hugging Face's router to its inference providers; `model` may pin one (`org/model:provider`).
  huggingface: row({ baseUrl: "https://router.huggingface.co/v1", operations: CHAT_ONLY, maxN: 1 }),
  sambanova: row({ baseUrl: "https://api.sambanova.ai/v1", operations: CHAT_AND_EMBEDDINGS, maxN: 1 }),
  "novita-ai": row({ baseUrl: "https://api.novita.ai/openai/v1", operations: ALL }),
  lambda: row({ baseUrl: "https://api.lambda.ai/v1", operations: ["chat", "completions"], maxN: 1 }),
  nscale: row({ baseUrl: "https://inference.api.nscale.com/v1", operations: CHAT_ONLY, maxN: 1 }),
  // Moonshot (Kimi, international endpoint): n up to 5; stream usage comes in the last chunk unasked.
  moonshot: row({ baseUrl: "https://api.moonshot.ai/v1", operations: CHAT_ONLY, streamOptions: false, maxN: 5 }),
  // Alibaba Model Studio (Qwen), international region; Beijing is https://dashscope.aliyuncs.com/compatible-mode/v1.
  dashscope: row({
    baseUrl: "https://dashscope-intl.aliyuncs.com/compatible-mode/v1",
    operations: CHAT_AND_EMBEDDINGS,
    maxN: 1,
  }),
  // Zhipu GLM (BigModel, mainland China) and Z.ai (the same models, international): usage in the last chunk unasked.
  zhipu: row({
    baseUrl: "https://open.bigmodel.cn/api/paas/v4",
    operations: CHAT_AND_EMBEDDINGS,
    streamOptions: false,
    maxN: 1,
  }),
  "z-ai": row({ baseUrl: "https://api.z.ai/api/paas/v4", operations: CHAT_ONLY, streamOptions: false, maxN: 1 }),
  hyperbolic: row({ baseUrl: "https://api.hyperbolic.xyz/v1", operations: ["chat", "completions"], maxN: 1 }),
};
