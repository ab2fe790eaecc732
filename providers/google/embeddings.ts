import type { EmbeddingsRequest } from "../../schema/openai-request";
import type { Embedding, EmbeddingsResponse } from "../../schema/openai-response";
import { parseUpstream } from "../shared/json";
import {
  MalformedUpstreamError,
  UnsupportedParameterError,
  type ResolvedTarget,
  type ResponseContext,
  type UpstreamCall,
} from "../types";
import { googleHeaders, googleModelId, googleUrl } from "./urls";
import { batchEmbedContentsResponseSchema } from "./wire";
import type { BatchEmbedContentsRequest } from "./wire-request";

/**
 * OpenAI embeddings <-> `:batchEmbedContents`: one request per input string, results in input order. Token-array
 * inputs cannot be sent (Gemini embeds text only). `user` is dropped. Gemini does not report token usage for
 * embeddings, so usage is 0/0 unless a `usageMetadata` ever comes back.
 */

function inputTexts(input: EmbeddingsRequest["input"]): string[] {
  if (typeof input === "string") return [input];
  const texts: string[] = [];
  for (const item of input) {
    if (typeof item !== "string") {
      throw new UnsupportedParameterError("input", "google embeddings accept text only, not token arrays");
    }
    texts.push(item);
  }
  return texts;
}

export function toBatchEmbedContentsRequest(body: EmbeddingsRequest): BatchEmbedContentsRequest {
  const model = `models/${googleModelId(body.model)}`;
  return {
    requests: inputTexts(body.input).map((text) => {
      const request: BatchEmbedContentsRequest["requests"][number] = { model, content: { parts: [{ text }] } };
      if (body.dimensions !== undefined) request.outputDimensionality = body.dimensions;
      return request;
    }),
  };
}

export function buildEmbeddingsRequest(body: EmbeddingsRequest, target: ResolvedTarget): UpstreamCall {
  return {
    url: googleUrl(target, body.model, "batchEmbedContents"),
    headers: googleHeaders(target),
    body: JSON.stringify(toBatchEmbedContentsRequest(body)),
  };
}

/** Little-endian float32 bytes in base64, exactly what OpenAI returns for `encoding_format: "base64"`. */
export function float32Base64(values: number[]): string {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((value, i) => view.setFloat32(i * 4, value, true));
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * The response does not say which encoding the client asked for, so the adapter wraps this per request; see
 * `index.ts`. `encoding` defaults to float.
 */
export function parseEmbeddingsResponse(
  json: unknown,
  ctx: ResponseContext,
  encoding: EmbeddingsRequest["encoding_format"] = "float",
): EmbeddingsResponse {
  const response = parseUpstream(batchEmbedContentsResponseSchema, json, "embeddings");
  if (response.embeddings.length === 0)
    throw new MalformedUpstreamError("malformed embeddings from upstream (none returned)");
  const data = response.embeddings.map((embedding, index): Embedding => ({
    object: "embedding",
    index,
    embedding: encoding === "base64" ? float32Base64(embedding.values) : embedding.values,
  }));
  const prompt = response.usageMetadata?.promptTokenCount ?? 0;
  return {
    object: "list",
    data,
    model: ctx.model,
    usage: { prompt_tokens: prompt, total_tokens: response.usageMetadata?.totalTokenCount ?? prompt },
  };
}
