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
import { cohereHeaders, cohereUrl } from "./urls";
import { embedResponseSchema } from "./wire";

/**
 * OpenAI embeddings <-> Cohere `POST /v2/embed`. Cohere needs an `input_type`: `search_document` unless the
 * client sends Cohere's own `input_type` field (search_query, classification, clustering) beside the OpenAI
 * ones. Floats are always asked for; base64 is produced here from them, as OpenAI encodes it.
 */
const INPUT_TYPES: ReadonlySet<string> = new Set([
  "search_document",
  "search_query",
  "classification",
  "clustering",
  "image",
]);

function texts(input: EmbeddingsRequest["input"]): string[] {
  if (typeof input === "string") return [input];
  return input.map((item) => {
    if (typeof item !== "string")
      throw new UnsupportedParameterError("input", "cohere embeds text only, not token arrays");
    return item;
  });
}

function inputType(body: EmbeddingsRequest): string {
  const requested: unknown = (body as Record<string, unknown>).input_type;
  if (requested === undefined) return "search_document";
  if (typeof requested !== "string" || !INPUT_TYPES.has(requested)) {
    throw new UnsupportedParameterError(
      "input_type",
      `input_type must be one of ${[...INPUT_TYPES].join(", ")}`,
      "invalid_parameter",
    );
  }
  return requested;
}

export function toCohereEmbedRequest(body: EmbeddingsRequest): Record<string, unknown> {
  const out: Record<string, unknown> = {
    model: body.model,
    texts: texts(body.input),
    input_type: inputType(body),
    embedding_types: ["float"],
  };
  if (body.dimensions !== undefined) out.output_dimension = body.dimensions;
  return out;
}

export function buildCohereEmbedRequest(body: EmbeddingsRequest, target: ResolvedTarget): UpstreamCall {
  return {
    url: cohereUrl(target, "embed"),
    headers: cohereHeaders(target),
    body: JSON.stringify(toCohereEmbedRequest(body)),
  };
}

export function parseCohereEmbedResponse(
  json: unknown,
  ctx: ResponseContext,
  request: EmbeddingsRequest,
): EmbeddingsResponse {
  const response = parseUpstream(embedResponseSchema, json, "Cohere embeddings");
  const vectors = response.embeddings.float;
  if (vectors.length === 0) throw new MalformedUpstreamError("malformed embeddings from upstream (none returned)");
  const base64 = request.encoding_format === "base64";
  const prompt = response.meta?.billed_units?.input_tokens ?? 0;
  return {
    object: "list",
    data: vectors.map((values, index) => ({
      object: "embedding",
      index,
      embedding: base64 ? float32Base64(values) : values,
    })),
    model: ctx.model,
    usage: { prompt_tokens: prompt, total_tokens: prompt },
  };
}
