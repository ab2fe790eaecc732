import { describe, expect, it } from "vitest";
import { parseBedrockEmbeddings } from "../../providers/bedrock/embeddings";
import { BedrockStreamError, parseBedrockError } from "../../providers/bedrock/errors";
import { parseBedrockResponse } from "../../providers/bedrock/response";
import { createBedrockStreamMapper } from "../../providers/bedrock/stream";
import { IncompleteStreamError, MalformedUpstreamError, type ResponseContext } from "../../providers/types";
import type { ChatCompletionChunk } from "../../schema/openai-response";
import {
  bedrockEvent,
  bedrockException,
  bedrockTextStream,
  concatBytes,
} from "../fixtures/bedrock/event-stream-encoder";

const ctx: ResponseContext = {
  model: "us.anthropic.claude-3-7-sonnet-20250219-v1:0",
  fallbackId: "chatcmpl-test",
  created: 1_700_000_000,
};

/** A Converse response as documented (output.message, stopReason, usage, metrics). */
function converse(
  content: unknown[],
  stopReason: string,
  usage: Record<string, number> = { inputTokens: 30, outputTokens: 10, totalTokens: 40 },
) {
  return { output: { message: { role: "assistant", content } }, stopReason, usage, metrics: { latencyMs: 812 } };
}

describe("Converse response -> chat.completion", () => {
  it("maps text, reasoning, tool use and usage with cache reads and writes in OpenAI semantics", () => {
    const json = converse(
      [
        { reasoningContent: { reasoningText: { text: "The user wants weather.", signature: "sig" } } },
        { text: "Checking." },
        { toolUse: { toolUseId: "tooluse_abc", name: "get_weather", input: { city: "Paris" } } },
      ],
      "tool_use",
      { inputTokens: 30, outputTokens: 10, totalTokens: 140, cacheReadInputTokens: 80, cacheWriteInputTokens: 20 },
    );
    expect(parseBedrockResponse(json, ctx)).toEqual({
      id: "chatcmpl-test",
      object: "chat.completion",
      created: 1_700_000_000,
      model: ctx.model,
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            content: "Checking.",
            refusal: null,
            reasoning_content: "The user wants weather.",
            tool_calls: [
              { id: "tooluse_abc", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
            ],
          },
          finish_reason: "tool_calls",
          logprobs: null,
        },
      ],
      usage: {
        prompt_tokens: 130,
        completion_tokens: 10,
        total_tokens: 140,
        prompt_tokens_details: { cached_tokens: 80 },
        cache_creation_input_tokens: 20,
      },
    });
  });

  it.each([
    ["end_turn", "stop"],
    ["stop_sequence", "stop"],
    ["max_tokens", "length"],
    ["tool_use", "stop"],
    ["content_filtered", "content_filter"],
    ["guardrail_intervened", "content_filter"],
    ["a_future_reason", "stop"],
  ])("stopReason %s -> %s", (stopReason, finish) => {
    expect(parseBedrockResponse(converse([{ text: "x" }], stopReason), ctx).choices[0]?.finish_reason).toBe(finish);
  });

  it("a body that is not a Converse response is a malformed upstream answer", () => {
    expect(() => parseBedrockResponse({ message: "?" }, ctx)).toThrow(MalformedUpstreamError);
  });
});

function runStream(bytes: Uint8Array, pieces = 1): ChatCompletionChunk[] {
  const mapper = createBedrockStreamMapper(ctx);
  const chunks: ChatCompletionChunk[] = [];
  const decoder = mapper.createDecoder?.((out) => chunks.push(...out));
  if (!decoder) throw new Error("the Bedrock mapper must bring its own decoder");
  const size = Math.ceil(bytes.length / pieces);
  for (let at = 0; at < bytes.length; at += size) decoder.push(bytes.slice(at, at + size));
  decoder.end();
  chunks.push(...mapper.end());
  return chunks;
}

describe("ConverseStream -> chat.completion.chunk", () => {
  it("maps a text answer: role, deltas, finish, usage", () => {
    const chunks = runStream(
      bedrockTextStream(["Hel", "lo"], { inputTokens: 12, outputTokens: 5, totalTokens: 17 }),
      7,
    );
    expect(
      chunks.map((chunk) => [
        chunk.choices[0]?.delta ?? null,
        chunk.choices[0]?.finish_reason ?? null,
        chunk.usage ?? null,
      ]),
    ).toEqual([
      [{ role: "assistant", content: "" }, null, null],
      [{ content: "Hel" }, null, null],
      [{ content: "lo" }, null, null],
      [{}, "stop", null],
      [
        null,
        null,
        { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17, prompt_tokens_details: { cached_tokens: 0 } },
      ],
    ]);
    expect(new Set(chunks.map((chunk) => `${chunk.id} ${chunk.model} ${chunk.object}`))).toEqual(
      new Set([`chatcmpl-test ${ctx.model} chat.completion.chunk`]),
    );
  });

  it("maps reasoning and tool use with stable tool indices", () => {
    const bytes = concatBytes([
      bedrockEvent("messageStart", { role: "assistant" }),
      bedrockEvent("contentBlockDelta", {
        contentBlockIndex: 0,
        delta: { reasoningContent: { text: "Need weather." } },
      }),
      bedrockEvent("contentBlockDelta", {
        contentBlockIndex: 0,
        delta: { reasoningContent: { signature: "EqQBCkYI" } },
      }),
      bedrockEvent("contentBlockStop", { contentBlockIndex: 0 }),
      bedrockEvent("contentBlockStart", {
        contentBlockIndex: 1,
        start: { toolUse: { toolUseId: "tooluse_1", name: "get_weather" } },
      }),
      bedrockEvent("contentBlockDelta", { contentBlockIndex: 1, delta: { toolUse: { input: '{"city":' } } }),
      bedrockEvent("contentBlockDelta", { contentBlockIndex: 1, delta: { toolUse: { input: '"Paris"}' } } }),
      bedrockEvent("contentBlockStop", { contentBlockIndex: 1 }),
      bedrockEvent("messageStop", { stopReason: "tool_use" }),
      bedrockEvent("metadata", {
        usage: { inputTokens: 50, outputTokens: 20, totalTokens: 170, cacheReadInputTokens: 100 },
        metrics: { latencyMs: 9 },
      }),
    ]);
    const chunks = runStream(bytes, 13);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta ?? chunk.usage)).toEqual([
      { role: "assistant", content: "" },
      { reasoning_content: "Need weather." },
      {
        tool_calls: [{ index: 0, id: "tooluse_1", type: "function", function: { name: "get_weather", arguments: "" } }],
      },
      { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] },
      {},
      { prompt_tokens: 150, completion_tokens: 20, total_tokens: 170, prompt_tokens_details: { cached_tokens: 100 } },
    ]);
    expect(chunks[5]?.choices[0]?.finish_reason).toBe("tool_calls");
  });

  it("an exception message mid-stream becomes an upstream stream error with its documented status", () => {
    const bytes = concatBytes([
      bedrockEvent("messageStart", { role: "assistant" }),
      bedrockEvent("contentBlockDelta", { contentBlockIndex: 0, delta: { text: "Par" } }),
      bedrockException("modelStreamErrorException", "The model stream failed."),
    ]);
    const error = (() => {
      try {
        runStream(bytes, 3);
      } catch (caught) {
        return caught;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(BedrockStreamError);
    expect(error).toMatchObject({
      status: 424,
      error: { message: "The model stream failed.", code: "ModelStreamErrorException", type: "api_error" },
    });
    expect(() => runStream(bedrockException("throttlingException", "slow down"))).toThrow(
      expect.objectContaining({ status: 429 }),
    );
  });

  it("a stream cut before messageStop is incomplete", () => {
    const whole = bedrockTextStream(["a"]);
    const beforeStop = concatBytes([
      bedrockEvent("messageStart", { role: "assistant" }),
      bedrockEvent("contentBlockDelta", { contentBlockIndex: 0, delta: { text: "a" } }),
    ]);
    expect(() => runStream(beforeStop)).toThrow(IncompleteStreamError);
    expect(() => runStream(whole.slice(0, whole.length - 10))).toThrow(IncompleteStreamError);
  });
});

describe("Bedrock errors -> the envelope", () => {
  const headers = (type: string) =>
    new Headers({ "x-amzn-errortype": `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/` });

  it.each([
    [429, "ThrottlingException", "Too many requests, please wait before trying again.", "rate_limit_error", undefined],
    [400, "ValidationException", "The provided model identifier is invalid.", "invalid_request_error", undefined],
    [
      403,
      "AccessDeniedException",
      "You don't have access to the model with the specified model ID.",
      "permission_error",
      undefined,
    ],
    [429, "ModelNotReadyException", "Model is not ready for inference.", "api_error", 503],
    [503, "ServiceUnavailableException", "Bedrock is unable to process your request.", "api_error", undefined],
  ])("%i %s", (status, name, message, type, override) => {
    const parsed = parseBedrockError(status, JSON.stringify({ message }), headers(name));
    expect(parsed).toEqual({ message, type, code: name, param: null, ...(override ? { status: override } : {}) });
  });

  it("reads the exception from the body's __type without the header, and quotes plain text", () => {
    expect(
      parseBedrockError(400, JSON.stringify({ __type: "com.amazon.bedrock#ValidationException", Message: "bad" })),
    ).toMatchObject({ code: "ValidationException", message: "bad" });
    expect(parseBedrockError(502, "<html>Bad Gateway</html>")).toMatchObject({
      message: "<html>Bad Gateway</html>",
      type: "upstream_error",
    });
  });
});

describe("InvokeModel embeddings -> OpenAI embeddings", () => {
  it("Titan: one vector and its token count", () => {
    const out = parseBedrockEmbeddings(
      { embedding: [0.5, -0.25], inputTextTokenCount: 3 },
      { ...ctx, model: "amazon.titan-embed-text-v2:0" },
      { model: "amazon.titan-embed-text-v2:0", input: "hi" },
    );
    expect(out).toEqual({
      object: "list",
      data: [{ object: "embedding", index: 0, embedding: [0.5, -0.25] }],
      model: "amazon.titan-embed-text-v2:0",
      usage: { prompt_tokens: 3, total_tokens: 3 },
    });
  });

  it("Cohere: vectors in input order, base64 when asked", () => {
    const request = { model: "cohere.embed-english-v3", input: ["a", "b"], encoding_format: "base64" as const };
    const out = parseBedrockEmbeddings(
      { id: "x", response_type: "embeddings_floats", texts: ["a", "b"], embeddings: [[1], [0.5]] },
      { ...ctx, model: request.model },
      request,
    );
    expect(out.data).toEqual([
      { object: "embedding", index: 0, embedding: "AACAPw==" },
      { object: "embedding", index: 1, embedding: "AAAAPw==" },
    ]);
  });
});
