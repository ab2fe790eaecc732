import type { EmbeddingsRequest } from "../../schema/openai-request";
import type { EmbeddingsResponse } from "../../schema/openai-response";
import { float32Base64 } from "../google/embeddings";
import { parseUpstream } from "../shared/json";
import {
  MalformedUpstreamError,
  UnsupportedParameterError,
  type ResolvedTarget,
  type ResponseContext,
  type UpstreamCall,
} from "../types";
import { workersAiCall } from "./request";
import { embeddingResultSchema, unwrapResult } from "./wire";

/**
 * OpenAI embeddings <-> Workers AI embedding models (`@cf/baai/bge-*`): inputs `{text: [...]}`, result
 * `{shape: [n, d], data: [[...]]}`. Workers AI reports no token usage for embeddings, so usage is 0.
 */
export function buildWorkersAiEmbeddingsRequest(body: EmbeddingsRequest, target: ResolvedTarget): UpstreamCall {
  const input = typeof body.input === "string" ? [body.input] : body.input;
  const texts = input.map((item) => {
    if (typeof item !== "string")
      throw new UnsupportedParameterError("input", "workers-ai embeds text only, not token arrays");
    return item;
  });
  return workersAiCall(body.model, { text: texts }, target);
}

export function parseWorkersAiEmbeddings(
  json: unknown,
  ctx: ResponseContext,
  request: EmbeddingsRequest,
): EmbeddingsResponse {
  const result = parseUpstream(embeddingResultSchema, unwrapResult(json), "Workers AI embeddings");
  if (result.data.length === 0) throw new MalformedUpstreamError("malformed embeddings from upstream (none returned)");
  const base64 = request.encoding_format === "base64";
  return {
    object: "list",
    data: result.data.map((values, index) => ({
      object: "embedding",
      index,
      embedding: base64 ? float32Base64(values) : values,
    })),
    model: ctx.model,
    usage: { prompt_tokens: 0, total_tokens: 0 },
  };
}
