import type { EmbeddingsRequest } from "../../schema/openai-request";
import type { EmbeddingsResponse } from "../../schema/openai-response";
import { float32Base64 } from "../google/embeddings";
import { parseUpstream } from "../shared/json";
import { UnsupportedParameterError, type ResolvedTarget, type ResponseContext, type UpstreamCall } from "../types";
import { withBedrockAuth } from "./auth";
import { bedrockUrl, modelVendor } from "./urls";
import { cohereEmbeddingSchema, titanEmbeddingSchema } from "./wire";

/**
 * OpenAI embeddings -> Bedrock `InvokeModel` (`/model/{id}/invoke`), whose body is each model's own format:
 * - Amazon Titan Text Embeddings (`amazon.titan-embed-text-v1`, `-v2:0`): `{inputText, dimensions?}`, one text
 *   per request, so an input list of more than one string is refused (400) rather than silently split;
 * - Cohere Embed (`cohere.embed-*`): `{texts, input_type}`, many texts at once; `input_type` is the request's own
 *   field of that name (Cohere needs it), `search_document` by default. Cohere's answer has no token counts.
 */

const COHERE_INPUT_TYPES: ReadonlySet<string> = new Set([
  "search_document",
  "search_query",
  "classification",
  "clustering",
]);

function texts(input: EmbeddingsRequest["input"]): string[] {
  const list = typeof input === "string" ? [input] : input;
  return list.map((item) => {
    if (typeof item !== "string")
      throw new UnsupportedParameterError("input", "Bedrock embeddings take text, not token arrays");
    return item;
  });
}

function titanBody(body: EmbeddingsRequest): Record<string, unknown> {
  const inputs = texts(body.input);
  const [text] = inputs;
  if (inputs.length !== 1 || text === undefined) {
    throw new UnsupportedParameterError("input", "Amazon Titan embeds one text per request: send a single string");
  }
  if (body.dimensions === undefined) return { inputText: text };
  if (!body.model.includes("titan-embed-text-v2")) {
    throw new UnsupportedParameterError("dimensions", "dimensions is only supported by amazon.titan-embed-text-v2");
  }
  return { inputText: text, dimensions: body.dimensions };
}

function cohereBody(body: EmbeddingsRequest): Record<string, unknown> {
  const inputType: unknown = body.input_type ?? "search_document";
  if (typeof inputType !== "string" || !COHERE_INPUT_TYPES.has(inputType)) {
    throw new UnsupportedParameterError(
      "input_type",
      `input_type must be one of ${[...COHERE_INPUT_TYPES].join(", ")}`,
      "invalid_parameter",
    );
  }
  return { texts: texts(body.input), input_type: inputType };
}

export function toInvokeBody(body: EmbeddingsRequest): Record<string, unknown> {
  const vendor = modelVendor(body.model);
  if (vendor === "amazon") return titanBody(body);
  if (vendor === "cohere") return cohereBody(body);
  throw new UnsupportedParameterError(
    "model",
    "Bedrock embeddings support Amazon Titan (amazon.titan-embed-*) and Cohere (cohere.embed-*) models",
  );
}

export function buildBedrockEmbeddingsRequest(body: EmbeddingsRequest, target: ResolvedTarget): UpstreamCall {
  const call: UpstreamCall = {
    url: bedrockUrl(target, body.model, "invoke"),
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify(toInvokeBody(body)),
  };
  return withBedrockAuth(call, target);
}

function vectorsOf(json: unknown, model: string): { vectors: number[][]; tokens: number } {
  if (modelVendor(model) === "cohere") {
    const { embeddings } = parseUpstream(cohereEmbeddingSchema, json, "Cohere embeddings");
    return { vectors: Array.isArray(embeddings) ? embeddings : embeddings.float, tokens: 0 };
  }
  const titan = parseUpstream(titanEmbeddingSchema, json, "Titan embeddings");
  return { vectors: [titan.embedding], tokens: titan.inputTextTokenCount ?? 0 };
}

export function parseBedrockEmbeddings(
  json: unknown,
  ctx: ResponseContext,
  request: EmbeddingsRequest,
): EmbeddingsResponse {
  const { vectors, tokens } = vectorsOf(json, request.model);
  return {
    object: "list",
    data: vectors.map((vector, index) => ({
      object: "embedding",
      index,
      embedding: request.encoding_format === "base64" ? float32Base64(vector) : vector,
    })),
    model: ctx.model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}
