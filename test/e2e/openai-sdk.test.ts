/// <reference types="node" />
/**
 * The official `openai` SDK against the gateway under `wrangler dev`, with fake OpenAI, Anthropic and Gemini servers
 * on 127.0.0.1 reached through `x-portkey-custom-host`. Only the SDK's baseURL, apiKey and headers change.
 */
import OpenAI, { APIError, BadRequestError, InternalServerError, RateLimitError } from "openai";
import type { ChatCompletionChunk, ChatCompletionCreateParamsNonStreaming } from "openai/resources/chat/completions";
import { describe, expect, it } from "vitest";
import {
  ANTHROPIC,
  ANTHROPIC_PREAMBLE,
  GOOGLE,
  OPENAI,
  REPLY_TEXT,
  TOOL_ARGS_TEXT,
  TOOL_ARG_PIECES,
  TOOL_NAME,
  type FakeProvider,
  type FakeProviders,
  type RecordedRequest,
} from "./fake-providers";
import { freePort, type GatewayProcess } from "./gateway-process";
import { useFakesAndGateway } from "./servers";

let fake: FakeProviders;
let gateway: GatewayProcess;

useFakesAndGateway((servers) => ({ fake, gateway } = servers));

const API_KEY = "sk-fake";

function client(provider: string, headers: Record<string, string | null> = {}): OpenAI {
  const host = (fake.hosts as Record<string, string>)[provider] ?? fake.hosts.openai;
  return new OpenAI({
    baseURL: `${gateway.origin}/v1`,
    apiKey: API_KEY,
    maxRetries: 0,
    timeout: 20_000,
    defaultHeaders: { "x-portkey-provider": provider, "x-portkey-custom-host": host, ...headers },
  });
}

/** The rejection of `promise`, which must be an `APIError`. */
async function apiError(promise: PromiseLike<unknown>): Promise<APIError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(APIError);
    return error as APIError;
  }
  throw new Error("expected the SDK call to fail");
}

const envelope = (message: string, type: string, param: string | null, code: string | null) => ({
  message,
  type,
  param,
  code,
});

const SYSTEM = "You are terse.";
const MESSAGES = [
  { role: "system" as const, content: SYSTEM },
  { role: "user" as const, content: "Hi" },
];

const WEATHER_PARAMETERS = {
  type: "object",
  properties: {
    city: { type: "string", description: "City name" },
    unit: { type: "string", enum: ["celsius", "fahrenheit"] },
  },
  required: ["city"],
  additionalProperties: false,
};
const TOOLS = [
  {
    type: "function" as const,
    function: { name: TOOL_NAME, description: "Current weather for a city", parameters: WEATHER_PARAMETERS },
  },
];
const TOOL_MESSAGES = [{ role: "user" as const, content: "Weather in Paris?" }];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SERVER_TIMING = /^gateway;dur=\d+(\.\d+)?, upstream;dur=\d+(\.\d+)?$/;

// ---------------------------------------------------------------------------------------------------------------
// What each provider's fake answers, as the gateway must present it in OpenAI terms.

interface ProviderCase {
  provider: FakeProvider;
  model: string;
  id: string;
  servedModel: string;
  usage: object;
  /** Non-streamed tool call: the message content next to the tool call. */
  toolContent: string | null;
  /** Streamed tool call: the text streamed before the call. */
  toolStreamText: string;
  toolCallId: string | RegExp;
  /** The upstream request for the plain chat (MESSAGES, max_completion_tokens 50, temperature 0.5). */
  expectChatUpstream(request: RecordedRequest, stream: boolean): void;
  expectToolsUpstream(request: RecordedRequest): void;
  error500: object;
  error429: object;
}

const CASES: ProviderCase[] = [
  {
    provider: "openai",
    model: "gpt-fake",
    id: OPENAI.chatId,
    servedModel: "gpt-fake-2024-07-18",
    usage: {
      prompt_tokens: 11,
      completion_tokens: 7,
      total_tokens: 18,
      prompt_tokens_details: { cached_tokens: 3, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: 0,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    },
    toolContent: null,
    toolStreamText: "",
    toolCallId: OPENAI.toolCallId,
    expectChatUpstream(request, stream) {
      expect(request.path).toBe("/openai/v1/chat/completions");
      expect(request.headers.authorization).toBe(`Bearer ${API_KEY}`);
      const body = { model: "gpt-fake", messages: MESSAGES, max_completion_tokens: 50, temperature: 0.5 };
      // Usage is always asked for on streams (cost accounting), whatever the client said.
      expect(request.body).toEqual(stream ? { ...body, stream: true, stream_options: { include_usage: true } } : body);
    },
    expectToolsUpstream(request) {
      expect(request.body).toMatchObject({ tools: TOOLS, tool_choice: "auto" });
    },
    error500: envelope(OPENAI.error500, "server_error", null, null),
    error429: envelope(OPENAI.error429, "requests", null, "rate_limit_exceeded"),
  },
  {
    provider: "anthropic",
    model: "claude-fake",
    id: ANTHROPIC.messageId,
    servedModel: "claude-fake",
    // Anthropic's input_tokens (21) excludes the 5 cache-read tokens; OpenAI's prompt_tokens includes them.
    usage: { prompt_tokens: 26, completion_tokens: 9, total_tokens: 35, prompt_tokens_details: { cached_tokens: 5 } },
    toolContent: ANTHROPIC_PREAMBLE,
    toolStreamText: ANTHROPIC_PREAMBLE,
    toolCallId: ANTHROPIC.toolUseId,
    expectChatUpstream(request, stream) {
      expect(request.path).toBe("/anthropic/v1/messages");
      expect(request.headers["x-api-key"]).toBe(API_KEY);
      expect(request.headers["anthropic-version"]).toBe("2023-06-01");
      expect(request.headers.authorization).toBeUndefined();
      const body = {
        model: "claude-fake",
        system: SYSTEM,
        messages: [{ role: "user", content: [{ type: "text", text: "Hi" }] }],
        max_tokens: 50,
        temperature: 0.5,
      };
      // Anthropic reports usage on every stream unasked; an OpenAI stream_options field would be a 400 there.
      expect(request.body).toEqual(stream ? { ...body, stream: true } : body);
    },
    expectToolsUpstream(request) {
      expect(request.body).toMatchObject({
        tools: [{ name: TOOL_NAME, description: "Current weather for a city", input_schema: WEATHER_PARAMETERS }],
        tool_choice: { type: "auto" },
      });
    },
    error500: envelope(ANTHROPIC.error500, "api_error", null, null),
    error429: envelope(ANTHROPIC.error429, "rate_limit_error", null, null),
  },
  {
    provider: "google",
    model: "gemini-fake",
    id: GOOGLE.responseId,
    servedModel: "gemini-fake-001",
    usage: {
      prompt_tokens: 8,
      completion_tokens: 12,
      total_tokens: 20,
      prompt_tokens_details: { cached_tokens: 2 },
      completion_tokens_details: { reasoning_tokens: 0 },
    },
    toolContent: null,
    toolStreamText: "",
    toolCallId: /^call_[0-9a-f]{24}$/,
    expectChatUpstream(request, stream) {
      expect(request.path).toBe(
        `/google/v1beta/models/gemini-fake:${stream ? "streamGenerateContent" : "generateContent"}`,
      );
      // Gemini streams data-only SSE only with alt=sse; the key travels in a header, never in the URL.
      expect(request.query).toBe(stream ? "?alt=sse" : "");
      expect(request.headers["x-goog-api-key"]).toBe(API_KEY);
      expect(request.headers.authorization).toBeUndefined();
      expect(request.body).toEqual({
        contents: [{ role: "user", parts: [{ text: "Hi" }] }],
        systemInstruction: { parts: [{ text: SYSTEM }] },
        generationConfig: { temperature: 0.5, maxOutputTokens: 50 },
      });
    },
    expectToolsUpstream(request) {
      expect(request.body).toMatchObject({
        tools: [
          {
            functionDeclarations: [
              {
                name: TOOL_NAME,
                description: "Current weather for a city",
                parameters: {
                  type: "object",
                  properties: {
                    city: { type: "string", description: "City name" },
                    unit: { type: "string", enum: ["celsius", "fahrenheit"] },
                  },
                  required: ["city"],
                },
              },
            ],
          },
        ],
        toolConfig: { functionCallingConfig: { mode: "AUTO" } },
      });
    },
    error500: envelope(GOOGLE.error500, "internal", null, "INTERNAL"),
    error429: envelope(GOOGLE.error429, "resource_exhausted", null, "RESOURCE_EXHAUSTED"),
  },
];

/** Text, finish reasons and usage chunks of a collected stream. */
function summarise(chunks: ChatCompletionChunk[]) {
  const withChoices = chunks.filter((chunk) => chunk.choices.length > 0);
  return {
    text: withChoices.map((chunk) => chunk.choices[0]?.delta.content ?? "").join(""),
    finishReasons: withChoices.map((chunk) => chunk.choices[0]?.finish_reason ?? null),
    usageChunks: chunks.filter((chunk) => chunk.usage != null),
    choiceless: chunks.filter((chunk) => chunk.choices.length === 0),
  };
}

describe.each(CASES)("chat completions through provider $provider", (c) => {
  const params = { model: c.model, messages: MESSAGES, max_completion_tokens: 50, temperature: 0.5 };

  it("non-streamed: content, finish_reason, usage and response headers", async () => {
    const { data, response } = await client(c.provider, { "x-portkey-trace-id": `e2e-${c.provider}-1` })
      .chat.completions.create(params)
      .withResponse();
    expect(response.status).toBe(200);
    expect(response.headers.get("x-portkey-trace-id")).toBe(`e2e-${c.provider}-1`);
    expect(response.headers.get("x-portkey-provider")).toBe(c.provider);
    expect(response.headers.get("server-timing")).toMatch(SERVER_TIMING);
    expect(data.id).toBe(c.id);
    expect(data.object).toBe("chat.completion");
    expect(data.model).toBe(c.servedModel);
    expect(data.choices).toHaveLength(1);
    expect(data.choices[0]?.index).toBe(0);
    expect(data.choices[0]?.message.role).toBe("assistant");
    expect(data.choices[0]?.message.content).toBe(REPLY_TEXT);
    expect(data.choices[0]?.message.tool_calls).toBeUndefined();
    expect(data.choices[0]?.finish_reason).toBe("stop");
    expect(data.usage).toEqual(c.usage);
    expect(fake.requests).toHaveLength(1);
    c.expectChatUpstream(fake.last(), false);
  });

  it("streamed with include_usage: exact text, finish_reason on the last content chunk, one usage chunk", async () => {
    const { data: stream, response } = await client(c.provider)
      .chat.completions.create({ ...params, stream: true, stream_options: { include_usage: true } })
      .withResponse();
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(response.headers.get("x-portkey-provider")).toBe(c.provider);
    expect(response.headers.get("x-portkey-trace-id")).toMatch(UUID);
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const { text, finishReasons, usageChunks, choiceless } = summarise(chunks);
    expect(text).toBe(REPLY_TEXT);
    expect(finishReasons.at(-1)).toBe("stop");
    expect(finishReasons.slice(0, -1).every((reason) => reason === null)).toBe(true);
    expect(chunks.every((chunk) => chunk.object === "chat.completion.chunk" && chunk.id === c.id)).toBe(true);
    expect(chunks.find((chunk) => chunk.choices.length > 0)?.choices[0]?.delta.role).toBe("assistant");
    expect(usageChunks).toHaveLength(1);
    expect(usageChunks[0]).toBe(chunks.at(-1));
    expect(usageChunks[0]?.choices).toEqual([]);
    expect(usageChunks[0]?.usage).toEqual(c.usage);
    expect(choiceless).toEqual(usageChunks);
    c.expectChatUpstream(fake.last(), true);
  });

  it("streamed without include_usage: exact text and no usage anywhere, yet usage was asked of the upstream", async () => {
    const stream = await client(c.provider).chat.completions.create({ ...params, stream: true });
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const { text, finishReasons, usageChunks, choiceless } = summarise(chunks);
    expect(text).toBe(REPLY_TEXT);
    expect(finishReasons.at(-1)).toBe("stop");
    expect(usageChunks).toEqual([]);
    expect(choiceless).toEqual([]);
    expect(chunks.every((chunk) => !("usage" in chunk))).toBe(true);
    c.expectChatUpstream(fake.last(), true);
  });

  it("tools, non-streamed: the tool call comes back with id, name and arguments", async () => {
    const completion = await client(c.provider).chat.completions.create({
      model: c.model,
      messages: TOOL_MESSAGES,
      tools: TOOLS,
      tool_choice: "auto",
    });
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe("tool_calls");
    expect(choice?.message.content).toBe(c.toolContent);
    expect(choice?.message.tool_calls).toHaveLength(1);
    const call = choice?.message.tool_calls?.[0];
    expect(call?.type).toBe("function");
    expect(call?.id).toMatch(c.toolCallId);
    expect(call?.type === "function" ? call.function : undefined).toEqual({
      name: TOOL_NAME,
      arguments: TOOL_ARGS_TEXT,
    });
    c.expectToolsUpstream(fake.last());
  });

  it("tools, streamed: deltas reassemble (SDK stream helper) into one call with a stable index, id and name", async () => {
    const stream = client(c.provider).chat.completions.stream({
      model: c.model,
      messages: TOOL_MESSAGES,
      tools: TOOLS,
      tool_choice: "auto",
    });
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const final = await stream.finalChatCompletion();
    const choice = final.choices[0];
    expect(choice?.finish_reason).toBe("tool_calls");
    expect(choice?.message.tool_calls).toHaveLength(1);
    const call = choice?.message.tool_calls?.[0];
    expect(call?.id).toMatch(c.toolCallId);
    expect(
      call?.type === "function" ? { name: call.function.name, arguments: call.function.arguments } : undefined,
    ).toEqual({
      name: TOOL_NAME,
      arguments: TOOL_ARGS_TEXT,
    });
    expect(summarise(chunks).text).toBe(c.toolStreamText);
    const deltas = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
    expect(deltas.every((delta) => delta.index === 0)).toBe(true);
    // id and name come once, on the first delta; the rest only carry argument fragments.
    expect(deltas.filter((delta) => delta.id !== undefined).map((delta) => delta.id)).toEqual([call?.id]);
    expect(deltas.filter((delta) => delta.function?.name !== undefined).map((delta) => delta.function?.name)).toEqual([
      TOOL_NAME,
    ]);
    if (c.provider !== "google") {
      // OpenAI and Anthropic stream the arguments in fragments that the gateway forwards as they come.
      expect(deltas.map((delta) => delta.function?.arguments ?? "").filter((args) => args !== "")).toEqual([
        ...TOOL_ARG_PIECES,
      ]);
    }
    c.expectToolsUpstream(fake.last());
  });

  it("upstream 500 surfaces as InternalServerError with the provider's message", async () => {
    const error = await apiError(
      client(c.provider, { "x-portkey-trace-id": "e2e-err-500" }).chat.completions.create({
        ...params,
        model: "fail-500",
      }),
    );
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error.status).toBe(500);
    expect(error.error).toEqual(c.error500);
    expect(error.message).toBe(`500 ${(c.error500 as { message: string }).message}`);
    expect(error.headers?.get("x-portkey-trace-id")).toBe("e2e-err-500");
    expect(error.headers?.get("x-portkey-provider")).toBe(c.provider);
  });

  it("upstream 429 surfaces as RateLimitError, keeping retry-after", async () => {
    const error = await apiError(client(c.provider).chat.completions.create({ ...params, model: "fail-429" }));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.status).toBe(429);
    expect(error.error).toEqual(c.error429);
    expect(error.headers?.get("retry-after")).toBe("7");
  });

  it("x-portkey-request-timeout: a slow upstream gives 408 quickly", async () => {
    const started = Date.now();
    const error = await apiError(
      client(c.provider, { "x-portkey-request-timeout": "500" }).chat.completions.create({ ...params, model: "slow" }),
    );
    const elapsed = Date.now() - started;
    expect(error.status).toBe(408);
    expect(error.error).toEqual(
      envelope("upstream did not respond within 500 ms", "timeout_error", null, "upstream_timeout"),
    );
    expect(elapsed).toBeGreaterThanOrEqual(450);
    expect(elapsed).toBeLessThan(2_500);
  });

  it("a stream cut mid-way makes the SDK's iteration throw instead of ending cleanly", async () => {
    const stream = await client(c.provider).chat.completions.create({ ...params, model: "cut", stream: true });
    const chunks: ChatCompletionChunk[] = [];
    let thrown: unknown;
    try {
      for await (const chunk of stream) chunks.push(chunk);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(APIError);
    const error = thrown as APIError;
    expect(error.code).toBe("upstream_stream_error");
    expect(error.type).toBe("api_error");
    expect(error.message).toMatch(/^upstream stream was interrupted: /);
    // What arrived before the cut was delivered; nothing after it, and no finish_reason.
    expect(summarise(chunks).text).toBe("Héllo wörld");
    expect(summarise(chunks).finishReasons.every((reason) => reason === null)).toBe(true);
  });
});

describe("a cut stream on the wire", () => {
  it("ends with an error event and never with [DONE]", async () => {
    const res = await fetch(`${gateway.origin}/v1/chat/completions`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${API_KEY}`,
        "x-portkey-provider": "openai",
        "x-portkey-custom-host": fake.hosts.openai,
      },
      body: JSON.stringify({ model: "cut", messages: MESSAGES, stream: true }),
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain("[DONE]");
    const frames = text.split("\n\n").filter((frame) => frame !== "");
    expect(frames.every((frame) => frame.startsWith("data: "))).toBe(true);
    const last = JSON.parse(frames.at(-1)!.slice("data: ".length)) as { error: Record<string, unknown> };
    expect(last.error).toMatchObject({ type: "api_error", param: null, code: "upstream_stream_error" });
    expect(frames).toHaveLength(4); // role chunk, "Hé", "llo wörld", the error
  });
});

describe("embeddings", () => {
  const input = ["alpha", "beta"];

  it("openai, SDK default (base64 on the wire, decoded by the SDK)", async () => {
    const result = await client("openai").embeddings.create({ model: "text-embedding-fake", input });
    expect(result.data.map((d) => ({ index: d.index, embedding: d.embedding }))).toEqual([
      { index: 0, embedding: [0.5, -0.25, 0.125] },
      { index: 1, embedding: [1.5, -0.25, 0.125] },
    ]);
    expect(result.model).toBe("text-embedding-fake");
    expect(result.usage).toEqual({ prompt_tokens: 6, total_tokens: 6 });
    expect(fake.last().path).toBe("/openai/v1/embeddings");
    expect(fake.last().body).toEqual({ model: "text-embedding-fake", input, encoding_format: "base64" });
  });

  it("openai, encoding_format float", async () => {
    const result = await client("openai").embeddings.create({
      model: "text-embedding-fake",
      input,
      encoding_format: "float",
      dimensions: 3,
    });
    expect(result.data).toEqual([
      { object: "embedding", index: 0, embedding: [0.5, -0.25, 0.125] },
      { object: "embedding", index: 1, embedding: [1.5, -0.25, 0.125] },
    ]);
    expect(fake.last().body).toEqual({ model: "text-embedding-fake", input, encoding_format: "float", dimensions: 3 });
  });

  it("google, encoding_format float: batchEmbedContents, results in input order", async () => {
    const result = await client("google").embeddings.create({
      model: "text-embedding-fake",
      input,
      encoding_format: "float",
      dimensions: 3,
    });
    expect(result).toEqual({
      object: "list",
      data: [
        { object: "embedding", index: 0, embedding: [0.25, -0.5, 1.5] },
        { object: "embedding", index: 1, embedding: [0.5, -0.5, 1.5] },
      ],
      model: "text-embedding-fake",
      usage: { prompt_tokens: 0, total_tokens: 0 },
    });
    const request = fake.last();
    expect(request.path).toBe("/google/v1beta/models/text-embedding-fake:batchEmbedContents");
    expect(request.headers["x-goog-api-key"]).toBe(API_KEY);
    expect(request.body).toEqual({
      requests: input.map((text) => ({
        model: "models/text-embedding-fake",
        content: { parts: [{ text }] },
        outputDimensionality: 3,
      })),
    });
  });

  it("google, SDK default (the SDK asks for base64 and decodes it)", async () => {
    const result = await client("google").embeddings.create({ model: "text-embedding-fake", input });
    expect(result.data.map((d) => ({ index: d.index, embedding: d.embedding }))).toEqual([
      { index: 0, embedding: [0.25, -0.5, 1.5] },
      { index: 1, embedding: [0.5, -0.5, 1.5] },
    ]);
  });
});

describe("legacy completions", () => {
  it("openai, non-streamed", async () => {
    const result = await client("openai").completions.create({
      model: "gpt-fake-instruct",
      prompt: "Tell me a story",
      max_tokens: 4,
    });
    expect(result.id).toBe(OPENAI.completionId);
    expect(result.choices).toEqual([
      { text: OPENAI.completionText, index: 0, logprobs: null, finish_reason: "length" },
    ]);
    expect(result.usage).toEqual({ prompt_tokens: 4, completion_tokens: 4, total_tokens: 8 });
    expect(fake.last().path).toBe("/openai/v1/completions");
    expect(fake.last().body).toEqual({ model: "gpt-fake-instruct", prompt: "Tell me a story", max_tokens: 4 });
  });

  it.each([true, false])("openai, streamed (include_usage %s)", async (includeUsage) => {
    const stream = await client("openai").completions.create({
      model: "gpt-fake-instruct",
      prompt: "Tell me a story",
      stream: true,
      ...(includeUsage ? { stream_options: { include_usage: true } } : {}),
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const withChoices = chunks.filter((chunk) => chunk.choices.length > 0);
    expect(withChoices.map((chunk) => chunk.choices[0]?.text).join("")).toBe(OPENAI.completionText);
    expect(withChoices.at(-1)?.choices[0]?.finish_reason).toBe("length");
    const usage = chunks.filter((chunk) => chunk.usage != null).map((chunk) => chunk.usage);
    expect(usage).toEqual(includeUsage ? [{ prompt_tokens: 4, completion_tokens: 4, total_tokens: 8 }] : []);
    expect(fake.last().body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it.each(["anthropic", "google"])("%s has no completions: a clear 400, nothing sent upstream", async (provider) => {
    const error = await apiError(client(provider).completions.create({ model: "any-model", prompt: "Hi" }));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.error).toEqual(
      envelope(
        `provider "${provider}" does not support completions`,
        "invalid_request_error",
        "x-portkey-provider",
        "unsupported_operation",
      ),
    );
    expect(fake.requests).toEqual([]);
  });
});

describe("gateway errors as the SDK's typed errors", () => {
  it("unknown provider: BadRequestError naming the valid providers", async () => {
    const error = await apiError(client("nope").chat.completions.create({ model: "gpt-fake", messages: MESSAGES }));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.status).toBe(400);
    expect(error.param).toBe("x-portkey-provider");
    expect(error.code).toBe("unknown_provider");
    expect(error.type).toBe("invalid_request_error");
    const message = (error.error as { message: string }).message;
    expect(message.startsWith('unknown provider "nope"; valid providers: ')).toBe(true);
    const listed = message.slice('unknown provider "nope"; valid providers: '.length).split(", ");
    expect(listed).toEqual(
      expect.arrayContaining(["openai", "anthropic", "google", "azure-openai", "groq", "mistral-ai", "custom"]),
    );
    expect(fake.requests).toEqual([]);
  });

  it("invalid body (messages missing): BadRequestError naming the field", async () => {
    const body = { model: "gpt-fake" } as unknown as ChatCompletionCreateParamsNonStreaming;
    const error = await apiError(client("openai").chat.completions.create(body));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.param).toBe("messages");
    expect(error.code).toBe("invalid_body");
    expect((error.error as { message: string }).message).toMatch(/^messages: .*expected array/);
    expect(fake.requests).toEqual([]);
  });

  it("malformed JSON: 400 invalid_json", async () => {
    const res = await fetch(`${gateway.origin}/v1/chat/completions`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-portkey-provider": "openai",
        "x-portkey-custom-host": fake.hosts.openai,
      },
      body: '{"model": "gpt-fake", "messages": [',
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: Record<string, unknown> };
    expect(body.error).toMatchObject({ type: "invalid_request_error", param: null, code: "invalid_json" });
    expect(String(body.error.message)).toMatch(/^request body is not valid JSON \(/);
  });

  it("unreachable custom host (a closed port): 502 upstream_unreachable", async () => {
    const closed = await freePort();
    const error = await apiError(
      client("openai", { "x-portkey-custom-host": `http://127.0.0.1:${closed}/v1` }).chat.completions.create({
        model: "gpt-fake",
        messages: MESSAGES,
      }),
    );
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error.status).toBe(502);
    expect(error.error).toEqual(
      envelope(`upstream 127.0.0.1:${closed} is unreachable`, "api_error", null, "upstream_unreachable"),
    );
  });

  it("an error response still carries a generated trace id and the JSON envelope", async () => {
    const error = await apiError(client("nope").chat.completions.create({ model: "gpt-fake", messages: MESSAGES }));
    expect(error.headers?.get("x-portkey-trace-id")).toMatch(UUID);
    expect(error.headers?.get("content-type")).toMatch(/^application\/json/);
  });
});

describe("target selection", () => {
  it("an inline x-portkey-config target: provider, api_key, custom_host and override_params", async () => {
    const config = {
      provider: "anthropic",
      api_key: "sk-from-config",
      custom_host: fake.hosts.anthropic,
      override_params: { model: "claude-override" },
    };
    const sdk = new OpenAI({
      baseURL: `${gateway.origin}/v1`,
      apiKey: API_KEY,
      maxRetries: 0,
      timeout: 20_000,
      defaultHeaders: { "x-portkey-config": JSON.stringify(config) },
    });
    const { data, response } = await sdk.chat.completions
      .create({ model: "claude-fake", messages: MESSAGES })
      .withResponse();
    expect(response.headers.get("x-portkey-provider")).toBe("anthropic");
    expect(data.model).toBe("claude-override");
    expect(data.choices[0]?.message.content).toBe(REPLY_TEXT);
    const request = fake.last();
    expect(request.path).toBe("/anthropic/v1/messages");
    expect(request.headers["x-api-key"]).toBe("sk-from-config");
    expect(request.body).toMatchObject({ model: "claude-override", max_tokens: 4096 });
  });
});

describe("custom_host policy under wrangler dev", () => {
  it("loopback custom hosts are allowed (ALLOW_PRIVATE_CUSTOM_HOSTS=true, as npm start sets it)", async () => {
    const localhost = fake.hosts.openai.replace("127.0.0.1", "localhost");
    const result = await client("openai", { "x-portkey-custom-host": localhost }).chat.completions.create({
      model: "gpt-fake",
      messages: MESSAGES,
    });
    expect(result.choices[0]?.message.content).toBe(REPLY_TEXT);
    expect(fake.requests).toHaveLength(1);
  });

  it.each([
    ["ftp://127.0.0.1/v1", "custom_host refused: only http and https URLs are allowed"],
    ["http://user:secret@127.0.0.1/v1", "custom_host refused: credentials in the URL are not allowed"],
    ["not a url", 'custom_host refused: "not a url" is not an absolute URL'],
  ])("%s is refused with 400", async (host, message) => {
    const error = await apiError(
      client("openai", { "x-portkey-custom-host": host }).chat.completions.create({
        model: "gpt-fake",
        messages: MESSAGES,
      }),
    );
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.error).toEqual(envelope(message, "invalid_request_error", "custom_host", "custom_host_not_allowed"));
    expect(fake.requests).toEqual([]);
  });
});
