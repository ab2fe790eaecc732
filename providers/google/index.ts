import type { ProviderAdapter } from "../types";
import { buildEmbeddingsRequest, parseEmbeddingsResponse } from "./embeddings";
import { parseGoogleError } from "./errors";
import { buildChatRequest } from "./request";
import { parseChatResponse } from "./response";
import { createGoogleStreamMapper } from "./stream";

/** Google Gemini API (Generative Language API v1beta): chat and embeddings; no legacy completions. */
export const googleAdapter: ProviderAdapter = {
  chat: {
    buildRequest: buildChatRequest,
    parseResponse: parseChatResponse,
    createStreamMapper: createGoogleStreamMapper,
  },
  embeddings: {
    buildRequest: buildEmbeddingsRequest,
    parseResponse: (json, ctx, request) => parseEmbeddingsResponse(json, ctx, request.encoding_format),
  },
  parseError: parseGoogleError,
};

export { GoogleStreamError } from "./errors";
export { parseEmbeddingsResponse } from "./embeddings";
