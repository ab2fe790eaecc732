import type { ProviderAdapter } from "../types";
import { vertexChatAdapter } from "./chat";
import { vertexEmbeddingsAdapter } from "./embeddings";
import { parseVertexError } from "./errors";

/**
 * Google Vertex AI: Gemini (generateContent) and Claude (rawPredict) chat through the Gemini and Anthropic
 * mappings, Google's text embeddings (predict), OAuth tokens minted from a service account. No completions.
 */
export const vertexAdapter: ProviderAdapter = {
  chat: vertexChatAdapter,
  embeddings: vertexEmbeddingsAdapter,
  parseError: parseVertexError,
};

export {
  parseServiceAccount,
  ServiceAccountError,
  looksLikeServiceAccountJson,
  type ServiceAccount,
} from "./service-account";
export { VERTEX_DEFAULT_REGION, type VertexOptions } from "./options";
