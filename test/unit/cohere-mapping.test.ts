import { describe, expect, it } from "vitest";
import { cohereAdapter } from "../../providers/cohere";
import { parseSseText } from "../../providers/shared/sse";
import {
  IncompleteStreamError,
  MalformedUpstreamError,
  UnsupportedParameterError,
  UpstreamStreamError,
  type ResponseContext,
} from "../../providers/types";
import type { ChatCompletionRequest, EmbeddingsRequest } from "../../schema/openai-request";
import type { ChatCompletionChunk } from "../../schema/openai-response";
import { embedAnswer, errorBodies, maxTokensAnswer, textAnswer, toolAnswer } from "../fixtures/cohere/chat";
import { cutStream, errorStream, textStream, toolStream } from "../fixtures/cohere/streams";

const ctx: ResponseContext = { model: "command-a-03-2025", fallbackId: "chatcmpl-fallback", created: 1_750_000_000 };
const target = { provider: "cohere", apiKey: "co-test-key" } as const;
const weather = {
  type: "function",
  function: { name: "get_weather", description: "Weather", parameters: { type: "object" } },
} as const;
const clock = { type: "function", function: { name: "get_time", parameters: { type: "object" } } } as const;

const sent = (body: Partial<ChatCompletionRequest>) => {
  const call = cohereAdapter.chat.buildRequest(
    { model: "command-a-03-2025", messages: [{ role: "user", content: "hi" }], ...body } as ChatCompletionRequest,
    target,
  );
  return { call, json: JSON.parse(call.body) as Record<string, unknown> };
};

function run(text: string): ChatCompletionChunk[] {
  const mapper = cohereAdapter.chat.createStreamMapper(ctx);
  return [...parseSseText(text).flatMap((event) => mapper.onEvent(event)), ...mapper.end()];
}

describe("cohere request mapping", () => {
  it("posts to /v2/chat with a bearer key and renames OpenAI's sampling fields", () => {
    const { call, json } = sent({
      temperature: 0.3,
      top_p: 0.9,
      max_completion_tokens: 100,
      stop: "END",
      seed: 7,
      frequency_penalty: 0.5,
      top_k: 40,
    } as Partial<ChatCompletionRequest>);
    expect(call.url).toBe("https://api.cohere.com/v2/chat");
    expect(call.headers.authorization).toBe("Bearer co-test-key");
    expect(json).toEqual({
      model: "command-a-03-2025",
      messages: [{ role: "user", content: "hi" }],
      temperature: 0.3,
      p: 0.9,
      k: 40,
      max_tokens: 100,
      stop_sequences: ["END"],
      seed: 7,
      frequency_penalty: 0.5,
    });
  });

  it("maps system, tool calls (text before them as tool_plan) and tool results", () => {
    const { json } = sent({
      messages: [
        { role: "developer", content: [{ type: "text", text: "Be brief." }] },
        {
          role: "user",
          content: [
            { type: "text", text: "Weather?" },
            { type: "image_url", image_url: { url: "https://x.test/a.png" } },
          ],
        },
        {
          role: "assistant",
          content: "Let me look.",
          tool_calls: [
            { id: "c1", type: "function", function: { name: "get_weather", arguments: '{"location":"Paris"}' } },
          ],
        },
        { role: "tool", tool_call_id: "c1", content: '{"temp":21}' },
      ],
      tools: [weather],
    });
    expect(json.messages).toEqual([
      { role: "system", content: "Be brief." },
      {
        role: "user",
        content: [
          { type: "text", text: "Weather?" },
          { type: "image_url", image_url: { url: "https://x.test/a.png" } },
        ],
      },
      {
        role: "assistant",
        tool_plan: "Let me look.",
        tool_calls: [
          { id: "c1", type: "function", function: { name: "get_weather", arguments: '{"location":"Paris"}' } },
        ],
      },
      { role: "tool", tool_call_id: "c1", content: '{"temp":21}' },
    ]);
    expect(json.tools).toEqual([
      { type: "function", function: { name: "get_weather", description: "Weather", parameters: { type: "object" } } },
    ]);
    expect(json.tool_choice).toBeUndefined();
  });

  it("forces a named tool by offering only it with REQUIRED; json_schema becomes json_object with the schema", () => {
    const { json } = sent({
      tools: [weather, clock],
      tool_choice: { type: "function", function: { name: "get_time" } },
      response_format: { type: "json_schema", json_schema: { name: "x", schema: { type: "object" } } },
    });
    expect(json.tools).toEqual([{ type: "function", function: { name: "get_time", parameters: { type: "object" } } }]);
    expect(json.tool_choice).toBe("REQUIRED");
    expect(json.response_format).toEqual({ type: "json_object", json_schema: { type: "object" } });
  });

  it("asks for SSE on streams and refuses n > 1 naming n", () => {
    const { call, json } = sent({ stream: true });
    expect(json.stream).toBe(true);
    expect(call.headers.accept).toBe("text/event-stream");
    expect(() => sent({ n: 2 })).toThrow(UnsupportedParameterError);
  });
});

describe("cohere response mapping", () => {
  it("joins text, keeps citations as an extension and uses billed units as usage", () => {
    const out = cohereAdapter.chat.parseResponse(textAnswer, ctx);
    expect(out).toMatchObject({ id: textAnswer.id, object: "chat.completion", model: "command-a-03-2025" });
    expect(out.choices[0]).toEqual({
      index: 0,
      message: {
        role: "assistant",
        content: "LLMs are neural networks trained on large text corpora.",
        citations: textAnswer.message.citations,
      },
      finish_reason: "stop",
      logprobs: null,
    });
    expect(out.usage).toEqual({ prompt_tokens: 17, completion_tokens: 12, total_tokens: 29 });
  });

  it("maps tool calls, the tool plan and TOOL_CALL; MAX_TOKENS is length", () => {
    const out = cohereAdapter.chat.parseResponse(toolAnswer, ctx);
    expect(out.choices[0]?.message).toEqual({
      role: "assistant",
      content: null,
      reasoning_content: "I will look up the weather in Toronto.",
      tool_calls: [
        {
          id: "get_weather_1byjy32y4hvq",
          type: "function",
          function: { name: "get_weather", arguments: '{"location":"Toronto"}' },
        },
      ],
    });
    expect(out.choices[0]?.finish_reason).toBe("tool_calls");
    expect(cohereAdapter.chat.parseResponse(maxTokensAnswer, ctx).choices[0]?.finish_reason).toBe("length");
  });

  it("a finish_reason ERROR or a body of another shape is a malformed answer (502)", () => {
    expect(() => cohereAdapter.chat.parseResponse({ ...textAnswer, finish_reason: "ERROR" }, ctx)).toThrow(
      MalformedUpstreamError,
    );
    expect(() => cohereAdapter.chat.parseResponse({ text: "v1 shape" }, ctx)).toThrow(MalformedUpstreamError);
  });

  it("normalises errors with a type from the status", () => {
    expect(cohereAdapter.parseError(429, errorBodies.rateLimited)).toEqual({
      message: "You are using a Trial key, which is limited to 20 API calls / minute.",
      type: "rate_limit_error",
      code: null,
      param: null,
    });
    expect(cohereAdapter.parseError(502, "<html>bad gateway</html>")).toMatchObject({
      message: "<html>bad gateway</html>",
      type: "upstream_error",
    });
  });
});

describe("cohere stream mapping", () => {
  it("text: role chunk, content deltas, finish and usage from message-end", () => {
    const chunks = run(textStream);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? null)).toEqual([
      "",
      "Coca",
      "-Cola is a",
      " soft drink. ☕",
      null,
      null,
    ]);
    expect(chunks.every((c) => c.id === "29f14a5a-11de-4cae-9800-25e4747408ea")).toBe(true);
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe("stop");
    expect(chunks.at(-1)).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 9, completion_tokens: 8, total_tokens: 17 },
    });
  });

  it("tools: the plan as reasoning_content, tool calls with stable indices, ids and names", () => {
    const chunks = run(toolStream);
    const deltas = chunks.flatMap((c) => c.choices.map((choice) => choice.delta));
    expect(deltas.map((d) => d.reasoning_content).filter(Boolean)).toEqual(["I will check", " the weather."]);
    expect(deltas.flatMap((d) => d.tool_calls ?? [])).toEqual([
      { index: 0, id: "get_weather_nsz5zm3w56q3", type: "function", function: { name: "get_weather", arguments: "" } },
      { index: 0, function: { arguments: '{"loc' } },
      { index: 0, function: { arguments: 'ation":"Toronto"}' } },
      { index: 1, id: "get_time_2kq8w1", type: "function", function: { name: "get_time", arguments: "" } },
      { index: 1, function: { arguments: '{"timezone":"America/Toronto"}' } },
    ]);
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe("tool_calls");
  });

  it("a stream without message-end is cut; finish_reason ERROR is an upstream stream error", () => {
    expect(() => run(cutStream)).toThrow(IncompleteStreamError);
    expect(() => run(errorStream)).toThrow(UpstreamStreamError);
  });
});

describe("cohere embeddings", () => {
  const request: EmbeddingsRequest = { model: "embed-v4.0", input: ["hello", "goodbye"] };

  it("asks /v2/embed for floats of search documents by default, or the client's input_type", () => {
    const call = cohereAdapter.embeddings?.buildRequest(request, target);
    expect(call?.url).toBe("https://api.cohere.com/v2/embed");
    expect(JSON.parse(call?.body ?? "{}")).toEqual({
      model: "embed-v4.0",
      texts: ["hello", "goodbye"],
      input_type: "search_document",
      embedding_types: ["float"],
    });
    const query = cohereAdapter.embeddings?.buildRequest(
      { ...request, input_type: "search_query", dimensions: 256 } as EmbeddingsRequest,
      target,
    );
    expect(JSON.parse(query?.body ?? "{}")).toMatchObject({ input_type: "search_query", output_dimension: 256 });
    expect(() =>
      cohereAdapter.embeddings?.buildRequest({ ...request, input_type: "bogus" } as EmbeddingsRequest, target),
    ).toThrow(UnsupportedParameterError);
  });

  it("maps vectors in order with billed input tokens as usage", () => {
    const out = cohereAdapter.embeddings?.parseResponse(embedAnswer, { ...ctx, model: "embed-v4.0" }, request);
    expect(out).toEqual({
      object: "list",
      model: "embed-v4.0",
      data: [
        { object: "embedding", index: 0, embedding: [0.016296387, -0.008354187, -0.04699707] },
        { object: "embedding", index: 1, embedding: [0.5, -0.25, 0.125] },
      ],
      usage: { prompt_tokens: 2, total_tokens: 2 },
    });
  });
});
