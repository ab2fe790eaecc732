import type { ProviderAdapter } from "../types";
import { parseAnthropicError } from "./errors";
import { buildAnthropicRequest } from "./request";
import { parseAnthropicResponse } from "./response";
import { createAnthropicStreamMapper } from "./stream";

/** Anthropic Messages API (`POST /v1/messages`): chat only; Anthropic has no completions or embeddings API. */
export const anthropicAdapter: ProviderAdapter = {
  chat: {
    buildRequest: buildAnthropicRequest,
    parseResponse: parseAnthropicResponse,
    createStreamMapper: createAnthropicStreamMapper,
  },
  parseError: parseAnthropicError,
};

export { AnthropicStreamError, anthropicErrorStatus } from "./errors";
export { ANTHROPIC_DEFAULT_MAX_TOKENS, THINKING_BUDGETS } from "./thinking";
export { ANTHROPIC_BASE_URL, ANTHROPIC_VERSION } from "./request";
