import type { ProviderAdapter } from "../types";
import { buildBedrockEmbeddingsRequest, parseBedrockEmbeddings } from "./embeddings";
import { parseBedrockError } from "./errors";
import { buildBedrockChatRequest } from "./request";
import { parseBedrockResponse } from "./response";
import { createBedrockStreamMapper } from "./stream";

/**
 * AWS Bedrock: chat through the Converse API (`/converse`, `/converse-stream` with a binary event-stream answer),
 * embeddings through `/invoke` (Titan, Cohere); SigV4-signed or with a Bedrock API key.
 */
export const bedrockAdapter: ProviderAdapter = {
  chat: {
    buildRequest: buildBedrockChatRequest,
    parseResponse: parseBedrockResponse,
    createStreamMapper: createBedrockStreamMapper,
  },
  embeddings: {
    buildRequest: buildBedrockEmbeddingsRequest,
    parseResponse: parseBedrockEmbeddings,
  },
  parseError: parseBedrockError,
};
