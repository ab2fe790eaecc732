import { describe, expect, it } from "vitest";
import { googleAdapter } from "../../providers/google";
import type { ResponseContext } from "../../providers/types";
import type { EmbeddingsRequest } from "../../schema/openai-request";
import { float32Base64 } from "../../providers/google/embeddings";
import { MalformedUpstreamError, UnsupportedParameterError, type ResolvedTarget } from "../../providers/types";
import { embeddingsRequestSchema } from "../../schema/openai-request";
import batchEmbed from "../fixtures/google/batch-embed-contents.json";

const target: ResolvedTarget = { provider: "google", apiKey: "AIza-test-key" };
const ctx: ResponseContext = { model: "gemini-embedding-001", fallbackId: "x", created: 1_760_000_000 };
const floatRequest: EmbeddingsRequest = { model: "gemini-embedding-001", input: ["a"] };

function embeddings() {
  const adapter = googleAdapter.embeddings;
  if (!adapter) throw new Error("google adapter has no embeddings");
  return adapter;
}

function build(body: Record<string, unknown>) {
  const call = embeddings().buildRequest(embeddingsRequestSchema.parse(body), target);
  return { call, json: JSON.parse(call.body) as unknown };
}

describe("google embeddings request", () => {
  it("sends one batchEmbedContents request per input, with dimensions", () => {
    const { call, json } = build({
      model: "models/gemini-embedding-001",
      input: ["first text", "second text"],
      dimensions: 768,
      user: "u-1",
    });
    expect(call.url).toBe(
      "https://generativelanguage.googleapis.com/v1beta/models/gemini-embedding-001:batchEmbedContents",
    );
    expect(call.headers).toEqual({ "content-type": "application/json", "x-goog-api-key": "AIza-test-key" });
    expect(json).toEqual({
      requests: [
        {
          model: "models/gemini-embedding-001",
          content: { parts: [{ text: "first text" }] },
          outputDimensionality: 768,
        },
        {
          model: "models/gemini-embedding-001",
          content: { parts: [{ text: "second text" }] },
          outputDimensionality: 768,
        },
      ],
    });
  });

  it("wraps a single string and omits outputDimensionality when not asked", () => {
    expect(build({ model: "gemini-embedding-001", input: "hello" }).json).toEqual({
      requests: [{ model: "models/gemini-embedding-001", content: { parts: [{ text: "hello" }] } }],
    });
  });

  it.each([
    ["a token array", [1, 2, 3]],
    ["token arrays", [[1, 2], [3]]],
  ])("refuses %s as input", (_what, input) => {
    let thrown: unknown;
    try {
      build({ model: "gemini-embedding-001", input });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UnsupportedParameterError);
    expect((thrown as UnsupportedParameterError).param).toBe("input");
  });
});

describe("google embeddings response", () => {
  it("returns floats in input order with the requested model and zero usage", () => {
    expect(embeddings().parseResponse(batchEmbed, ctx, floatRequest)).toEqual({
      object: "list",
      data: [
        { object: "embedding", index: 0, embedding: [1, -2, 0.5] },
        { object: "embedding", index: 1, embedding: [0.25, 0, -0.125] },
      ],
      model: "gemini-embedding-001",
      usage: { prompt_tokens: 0, total_tokens: 0 },
    });
  });

  it("encodes base64 as little-endian float32, like OpenAI", () => {
    const response = embeddings().parseResponse(batchEmbed, ctx, { ...floatRequest, encoding_format: "base64" });
    expect(response.data.map((d) => d.embedding)).toEqual(["AACAPwAAAMAAAAA/", "AACAPgAAAAAAAAC+"]);
    const bytes = Uint8Array.from(atob("AACAPwAAAMAAAAA/"), (c) => c.charCodeAt(0));
    expect(Array.from(new Float32Array(bytes.buffer))).toEqual([1, -2, 0.5]);
  });

  it("encodes long vectors (chunked) without loss", () => {
    const values = Array.from({ length: 3072 }, (_, i) => Math.fround(Math.sin(i)));
    const bytes = Uint8Array.from(atob(float32Base64(values)), (c) => c.charCodeAt(0));
    expect(Array.from(new Float32Array(bytes.buffer))).toEqual(values);
  });

  it("uses usage when Google reports it", () => {
    const response = embeddings().parseResponse(
      { ...batchEmbed, usageMetadata: { promptTokenCount: 6, totalTokenCount: 6 } },
      ctx,
      floatRequest,
    );
    expect(response.usage).toEqual({ prompt_tokens: 6, total_tokens: 6 });
  });

  it.each([
    ["no embeddings field", {}],
    ["an empty list", { embeddings: [] }],
    ["non-numeric values", { embeddings: [{ values: ["a"] }] }],
  ])("throws MalformedUpstreamError for %s", (_what, body) => {
    expect(() => embeddings().parseResponse(body, ctx, floatRequest)).toThrow(MalformedUpstreamError);
  });
});
