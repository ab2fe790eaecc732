import { describe, expect, it } from "vitest";
import { UnsupportedParameterError, type ResolvedTarget, type UpstreamCall } from "../../providers/types";
import { vertexAdapter } from "../../providers/vertex";
import { parseServiceAccount } from "../../providers/vertex/service-account";
import { vertexModel } from "../../providers/vertex/urls";
import { chatCompletionRequestSchema, embeddingsRequestSchema } from "../../schema/openai-request";
import { makeServiceAccount } from "../fixtures/vertex/service-account";

const target: ResolvedTarget = {
  provider: "vertex-ai",
  apiKey: "ya29.caller-token",
  vertex: { projectId: "acme-prod", region: "europe-west4" },
};
const ask = {
  messages: [
    { role: "system", content: "Be brief." },
    { role: "user", content: "Hi" },
  ],
};

function chat(
  body: Record<string, unknown>,
  t: ResolvedTarget = target,
): { call: UpstreamCall; json: Record<string, unknown> } {
  const call = vertexAdapter.chat.buildRequest(chatCompletionRequestSchema.parse({ ...ask, ...body }), t);
  return { call, json: JSON.parse(call.body) as Record<string, unknown> };
}

function refused(fn: () => unknown): UnsupportedParameterError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UnsupportedParameterError);
    return error as UnsupportedParameterError;
  }
  throw new Error("expected UnsupportedParameterError");
}

const BASE = "https://europe-west4-aiplatform.googleapis.com/v1/projects/acme-prod/locations/europe-west4/publishers";

describe("vertex-ai: Gemini through the Gemini mapping", () => {
  it("calls the regional generateContent URL with the Gemini body", () => {
    const { call, json } = chat({ model: "gemini-2.5-flash", max_tokens: 100 });
    expect(call.url).toBe(`${BASE}/google/models/gemini-2.5-flash:generateContent`);
    expect(json).toEqual({
      contents: [{ role: "user", parts: [{ text: "Hi" }] }],
      systemInstruction: { parts: [{ text: "Be brief." }] },
      generationConfig: { maxOutputTokens: 100 },
    });
    expect(call.headers).toEqual({ "content-type": "application/json" });
    expect(call.url).not.toContain("ya29");
  });

  it("streams with streamGenerateContent?alt=sse, and accepts Portkey's google. prefix", () => {
    expect(chat({ model: "google.gemini-2.5-pro", stream: true }).call.url).toBe(
      `${BASE}/google/models/gemini-2.5-pro:streamGenerateContent?alt=sse`,
    );
  });

  it("uses the global host for the global region, and us-central1 by default", () => {
    const global = chat(
      { model: "gemini-2.5-flash" },
      { ...target, vertex: { projectId: "acme-prod", region: "global" } },
    );
    expect(global.call.url).toBe(
      "https://aiplatform.googleapis.com/v1/projects/acme-prod/locations/global/publishers/google/models/gemini-2.5-flash:generateContent",
    );
    const central = chat({ model: "gemini-2.5-flash" }, { ...target, vertex: { projectId: "acme-prod" } });
    expect(central.call.url).toBe(
      "https://us-central1-aiplatform.googleapis.com/v1/projects/acme-prod/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent",
    );
  });

  it("puts a custom host in place of Google's", () => {
    const { call } = chat({ model: "gemini-2.5-flash" }, { ...target, customHost: "http://127.0.0.1:9999" });
    expect(call.url).toBe(
      "http://127.0.0.1:9999/v1/projects/acme-prod/locations/europe-west4/publishers/google/models/gemini-2.5-flash:generateContent",
    );
  });
});

describe("vertex-ai: Claude through the Anthropic mapping", () => {
  it("calls rawPredict with vertex-2023-10-16 in the body and no model field", () => {
    const { call, json } = chat({ model: "claude-sonnet-4-5@20250929" });
    expect(call.url).toBe(`${BASE}/anthropic/models/claude-sonnet-4-5@20250929:rawPredict`);
    expect(json).toEqual({
      anthropic_version: "vertex-2023-10-16",
      system: "Be brief.",
      messages: [{ role: "user", content: [{ type: "text", text: "Hi" }] }],
      max_tokens: 4096,
    });
    expect(call.headers).toEqual({ "content-type": "application/json" });
  });

  it("streams with streamRawPredict and stream: true; Portkey's anthropic. prefix names the publisher", () => {
    const { call, json } = chat({ model: "anthropic.claude-haiku-4-5@20251001", stream: true });
    expect(call.url).toBe(`${BASE}/anthropic/models/claude-haiku-4-5@20251001:streamRawPredict`);
    expect(json).toMatchObject({ anthropic_version: "vertex-2023-10-16", stream: true });
    expect(json).not.toHaveProperty("model");
  });

  it("still refuses what Anthropic cannot do (n > 1)", () => {
    expect(refused(() => chat({ model: "claude-sonnet-4-5", n: 2 })).param).toBe("n");
  });
});

describe("vertex-ai: every value in the URL is checked", () => {
  const cases: Array<[string, ResolvedTarget, string, string]> = [
    [
      "a project with a slash",
      { ...target, vertex: { projectId: "acme/../other", region: "us-central1" } },
      "gemini-2.5-flash",
      "vertex_project_id",
    ],
    [
      "an upper-case project",
      { ...target, vertex: { projectId: "Acme-Prod", region: "us-central1" } },
      "gemini-2.5-flash",
      "vertex_project_id",
    ],
    [
      "a region that adds a host",
      { ...target, vertex: { projectId: "acme-prod", region: "evil.com/x" } },
      "gemini-2.5-flash",
      "vertex_region",
    ],
    [
      "a region with a dot",
      { ...target, vertex: { projectId: "acme-prod", region: "us-central1.evil" } },
      "gemini-2.5-flash",
      "vertex_region",
    ],
    ["a model with a path", target, "gemini-2.5-flash/../../x", "model"],
    ["a model with a query", target, "gemini?alt=json", "model"],
    ["a model with a colon", target, "gemini:predict", "model"],
  ];
  for (const [name, t, model, param] of cases) {
    it(`refuses ${name} (400 naming ${param})`, () => {
      const error = refused(() => chat({ model }, t));
      expect(error.param).toBe(param);
      expect(error.code).toBe("invalid_parameter");
    });
  }

  it("needs a project from somewhere", () => {
    const error = refused(() => chat({ model: "gemini-2.5-flash" }, { provider: "vertex-ai", apiKey: "ya29.x" }));
    expect(error.message).toMatch(/x-portkey-vertex-project-id/);
  });

  it("takes the project from the service account, unless one is given", async () => {
    const serviceAccount = parseServiceAccount((await makeServiceAccount()).text);
    const fromAccount = chat({ model: "gemini-2.5-flash" }, { provider: "vertex-ai", vertex: { serviceAccount } });
    expect(fromAccount.call.url).toContain("/projects/acme-prod/locations/us-central1/");
    const explicit = chat(
      { model: "gemini-2.5-flash" },
      { provider: "vertex-ai", vertex: { serviceAccount, projectId: "other-project" } },
    );
    expect(explicit.call.url).toContain("/projects/other-project/");
  });
});

describe("vertex-ai: auth is added by the call's sign step", () => {
  it("sends the caller's access token as a bearer, after any forwarded header", async () => {
    const { call } = chat({ model: "gemini-2.5-flash" });
    expect(call.sign).toBeTypeOf("function");
    const signed = await call.sign?.({ ...call, headers: { ...call.headers, authorization: "Bearer forwarded" } });
    expect(signed?.headers.authorization).toBe("Bearer ya29.caller-token");
    expect(signed?.url).toBe(call.url);
    expect(signed?.body).toBe(call.body);
  });
});

describe("vertex-ai: model names", () => {
  it("recognises the publisher", () => {
    expect(vertexModel("claude-opus-4-1@20250805")).toEqual({ publisher: "anthropic", id: "claude-opus-4-1@20250805" });
    expect(vertexModel("anthropic.claude-3-5-haiku@20241022")).toEqual({
      publisher: "anthropic",
      id: "claude-3-5-haiku@20241022",
    });
    expect(vertexModel("gemini-2.0-flash-001")).toEqual({ publisher: "google", id: "gemini-2.0-flash-001" });
    expect(vertexModel("text-embedding-005")).toEqual({ publisher: "google", id: "text-embedding-005" });
  });
});

describe("vertex-ai embeddings (predict)", () => {
  const embed = (body: Record<string, unknown>) =>
    embeddingsRequestSchema.parse({ model: "text-embedding-005", ...body });

  it("sends one instance per input and dimensions as outputDimensionality", () => {
    const call = vertexAdapter.embeddings?.buildRequest(embed({ input: ["a cat", "a dog"], dimensions: 256 }), target);
    expect(call?.url).toBe(`${BASE}/google/models/text-embedding-005:predict`);
    expect(JSON.parse(call?.body ?? "{}")).toEqual({
      instances: [{ content: "a cat" }, { content: "a dog" }],
      parameters: { outputDimensionality: 256 },
    });
  });

  it("refuses token arrays and Claude models", () => {
    expect(refused(() => vertexAdapter.embeddings?.buildRequest(embed({ input: [[1, 2, 3]] }), target)).param).toBe(
      "input",
    );
    expect(
      refused(() => vertexAdapter.embeddings?.buildRequest(embed({ model: "claude-sonnet-4-5", input: "x" }), target))
        .param,
    ).toBe("model");
  });

  const predictAnswer = {
    predictions: [
      { embeddings: { statistics: { truncated: false, token_count: 3 }, values: [0.25, -0.5] } },
      { embeddings: { statistics: { truncated: false, token_count: 4 }, values: [1, 0] } },
    ],
    metadata: { billableCharacterCount: 10 },
  };
  const ctx = { model: "text-embedding-005", fallbackId: "x", created: 1 };

  it("maps predictions to OpenAI's shape in input order, usage summed", () => {
    const out = vertexAdapter.embeddings?.parseResponse(predictAnswer, ctx, embed({ input: ["a", "b"] }));
    expect(out).toEqual({
      object: "list",
      model: "text-embedding-005",
      data: [
        { object: "embedding", index: 0, embedding: [0.25, -0.5] },
        { object: "embedding", index: 1, embedding: [1, 0] },
      ],
      usage: { prompt_tokens: 7, total_tokens: 7 },
    });
  });

  it("encodes base64 as little-endian float32 when asked", () => {
    const out = vertexAdapter.embeddings?.parseResponse(
      predictAnswer,
      ctx,
      embed({ input: ["a", "b"], encoding_format: "base64" }),
    );
    // 0.25 = 0x3e800000, -0.5 = 0xbf000000, little-endian.
    expect(out?.data[0]?.embedding).toBe(btoa(String.fromCharCode(0, 0, 0x80, 0x3e, 0, 0, 0, 0xbf)));
  });
});

describe("vertex-ai errors", () => {
  it("reads Google's envelope and Anthropic's, each in its own terms", () => {
    const google = JSON.stringify({
      error: { code: 404, message: "Publisher Model `x` was not found.", status: "NOT_FOUND" },
    });
    expect(vertexAdapter.parseError(404, google)).toEqual({
      message: "Publisher Model `x` was not found.",
      type: "not_found",
      code: "NOT_FOUND",
      param: null,
    });
    const anthropic = JSON.stringify({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } });
    expect(vertexAdapter.parseError(529, anthropic)).toEqual({
      message: "Overloaded",
      type: "overloaded_error",
      code: null,
      param: null,
    });
    expect(vertexAdapter.parseError(502, "<html>bad gateway</html>").message).toBe("<html>bad gateway</html>");
  });
});
