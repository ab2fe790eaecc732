import type { ProviderAdapter } from "../types";
import { buildWorkersAiEmbeddingsRequest, parseWorkersAiEmbeddings } from "./embeddings";
import { parseWorkersAiError } from "./errors";
import { buildWorkersAiChatRequest } from "./request";
import { parseWorkersAiResponse } from "./response";
import { createWorkersAiStreamMapper } from "./stream";

/**
 * Cloudflare Workers AI: through the Worker's `AI` binding when the request carries no credential, else the REST
 * API (`/accounts/{id}/ai/run/{model}`) with a Cloudflare API token. One wire format for both: chat and embeddings.
 */
export const workersAiAdapter: ProviderAdapter = {
  chat: {
    buildRequest: buildWorkersAiChatRequest,
    parseResponse: parseWorkersAiResponse,
    createStreamMapper: createWorkersAiStreamMapper,
  },
  embeddings: {
    buildRequest: buildWorkersAiEmbeddingsRequest,
    parseResponse: parseWorkersAiEmbeddings,
  },
  parseError: parseWorkersAiError,
};
