import * as z from "zod";
import type { EmbeddingsRequest } from "../../schema/openai-request";
import type { Embedding, EmbeddingsResponse } from "../../schema/openai-response";
import { float32Base64 } from "../google/embeddings";
import { parseUpstream } from "../shared/json";
import {
  MalformedUpstreamError,
  UnsupportedParameterError,
  type EmbeddingsAdapter,
  type ResolvedTarget,
  type ResponseContext,
  type UpstreamCall,
} from "../types";
import { withVertexAuth } from "./auth";
import { vertexModel, vertexUrl } from "./urls";

/**
 * OpenAI embeddings <-> Vertex's `:predict` for Google's text embedding models (text-embedding-005,
 * text-multilingual-embedding-002, gemini-embedding-001): one instance `{content}` per input string, vectors in
 * input order, `dimensions` as `parameters.outputDimensionality`. Usage is the sum of the per-instance
 * `statistics.token_count`. gemini-embedding-001 takes one input per request; Vertex's 400 says so.
 */

const count = z.number().int().nonnegative();

const predictResponseSchema = z.looseObject({
  predictions: z.array(
    z.looseObject({
      embeddings: z.looseObject({
        values: z.array(z.number()),
        statistics: z.looseObject({ token_count: count.nullish() }).nullish(),
      }),
    }),
  ),
});

function inputTexts(input: EmbeddingsRequest["input"]): string[] {
  if (typeof input === "string") return [input];
  return input.map((item) => {
    if (typeof item !== "string")
      throw new UnsupportedParameterError("input", "vertex-ai embeddings accept text only, not token arrays");
    return item;
  });
}

export function buildVertexEmbeddingsRequest(body: EmbeddingsRequest, target: ResolvedTarget): UpstreamCall {
  const model = vertexModel(body.model);
  if (model.publisher !== "google") {
    throw new UnsupportedParameterError(
      "model",
      `vertex-ai embeddings are served by Google's models, not ${model.publisher}'s`,
    );
  }
  const payload: { instances: { content: string }[]; parameters?: { outputDimensionality: number } } = {
    instances: inputTexts(body.input).map((content) => ({ content })),
  };
  if (body.dimensions !== undefined) payload.parameters = { outputDimensionality: body.dimensions };
  const call = {
    url: vertexUrl(target, model, "predict"),
    headers: { "content-type": "application/json" },
    body: JSON.stringify(payload),
  };
  return withVertexAuth(call, target);
}

export function parseVertexEmbeddingsResponse(
  json: unknown,
  ctx: ResponseContext,
  request: EmbeddingsRequest,
): EmbeddingsResponse {
  const { predictions } = parseUpstream(predictResponseSchema, json, "embeddings");
  if (predictions.length === 0) throw new MalformedUpstreamError("malformed embeddings from upstream (none returned)");
  const base64 = request.encoding_format === "base64";
  const data = predictions.map(({ embeddings }, index): Embedding => ({
    object: "embedding",
    index,
    embedding: base64 ? float32Base64(embeddings.values) : embeddings.values,
  }));
  const tokens = predictions.reduce((sum, { embeddings }) => sum + (embeddings.statistics?.token_count ?? 0), 0);
  return { object: "list", data, model: ctx.model, usage: { prompt_tokens: tokens, total_tokens: tokens } };
}

export const vertexEmbeddingsAdapter: EmbeddingsAdapter = {
  buildRequest: buildVertexEmbeddingsRequest,
  parseResponse: parseVertexEmbeddingsResponse,
};
