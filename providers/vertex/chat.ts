import type { ChatCompletionRequest } from "../../schema/openai-request";
import type { ChatCompletion } from "../../schema/openai-response";
import { toAnthropicBody } from "../anthropic/request";
import { parseAnthropicResponse } from "../anthropic/response";
import { createAnthropicStreamMapper } from "../anthropic/stream";
import { toGenerateContentRequest } from "../google/request";
import { parseChatResponse } from "../google/response";
import { createGoogleStreamMapper } from "../google/stream";
import type { ChatAdapter, ChatStreamMapper, ResolvedTarget, ResponseContext, UpstreamCall } from "../types";
import { withVertexAuth } from "./auth";
import { vertexModel, vertexUrl } from "./urls";

/**
 * Chat on Vertex AI speaks the publisher's own format: Gemini models the Gemini API's (generateContent), Claude
 * models Anthropic's Messages API (rawPredict). The Gemini and Anthropic adapters do the mapping; this file only
 * changes where the request goes, how it authenticates, and the two things Vertex's Claude endpoint wants
 * differently: the API version in the body and no `model` (it is in the URL).
 */

export const VERTEX_ANTHROPIC_VERSION = "vertex-2023-10-16";

const JSON_HEADERS = { "content-type": "application/json" } as const;

function anthropicBody(body: ChatCompletionRequest): string {
  const { model: _model, ...rest } = toAnthropicBody(body);
  return JSON.stringify({ anthropic_version: VERTEX_ANTHROPIC_VERSION, ...rest });
}

export function buildVertexChatRequest(body: ChatCompletionRequest, target: ResolvedTarget): UpstreamCall {
  const model = vertexModel(body.model);
  const stream = body.stream === true;
  if (model.publisher === "anthropic") {
    const url = vertexUrl(target, model, stream ? "streamRawPredict" : "rawPredict");
    return withVertexAuth({ url, headers: { ...JSON_HEADERS }, body: anthropicBody(body) }, target);
  }
  const url = vertexUrl(target, model, stream ? "streamGenerateContent" : "generateContent");
  return withVertexAuth(
    { url, headers: { ...JSON_HEADERS }, body: JSON.stringify(toGenerateContentRequest(body)) },
    target,
  );
}

/** The response context's model is the one the request was built for, so it picks the same publisher. */
export function parseVertexChatResponse(json: unknown, ctx: ResponseContext): ChatCompletion {
  return vertexModel(ctx.model).publisher === "anthropic"
    ? parseAnthropicResponse(json, ctx)
    : parseChatResponse(json, ctx);
}

export function createVertexStreamMapper(ctx: ResponseContext): ChatStreamMapper {
  return vertexModel(ctx.model).publisher === "anthropic"
    ? createAnthropicStreamMapper(ctx)
    : createGoogleStreamMapper(ctx);
}

export const vertexChatAdapter: ChatAdapter = {
  buildRequest: buildVertexChatRequest,
  parseResponse: parseVertexChatResponse,
  createStreamMapper: createVertexStreamMapper,
};
