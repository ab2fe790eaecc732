import type { ProviderAdapter } from "../types";
import { buildCohereEmbedRequest, parseCohereEmbedResponse } from "./embeddings";
import { parseCohereError } from "./errors";
import { buildCohereChatRequest } from "./request";
import { parseCohereResponse } from "./response";
import { createCohereStreamMapper } from "./stream";

/** Cohere's native v2 API (`/v2/chat`, `/v2/embed`): chat and embeddings; no legacy completions. */
export const cohereAdapter: ProviderAdapter = {
  chat: {
    buildRequest: buildCohereChatRequest,
    parseResponse: parseCohereResponse,
    createStreamMapper: createCohereStreamMapper,
  },
  embeddings: {
    buildRequest: buildCohereEmbedRequest,
    parseResponse: parseCohereEmbedResponse,
  },
  parseError: parseCohereError,
};

export { COHERE_BASE_URL } from "./urls";
