import { describe, expect, it } from "vitest";
import { googleAdapter } from "../../providers/google";
import { MalformedUpstreamError, type ResponseContext } from "../../providers/types";
import cachedThinking from "../fixtures/google/generate-content-cached-thinking.json";
import errorInvalidArgument from "../fixtures/google/error-invalid-argument.json";
import errorQuotaArray from "../fixtures/google/error-resource-exhausted-array.json";
import promptBlocked from "../fixtures/google/prompt-blocked.json";
import safety from "../fixtures/google/generate-content-safety.json";
import toolCalls from "../fixtures/google/generate-content-tool-calls.json";
import twoCandidates from "../fixtures/google/generate-content-two-candidates.json";

const ctx: ResponseContext = { model: "gemini-2.5-flash", fallbackId: "chatcmpl-fallback", created: 1_760_000_000 };
const parse = (json: unknown) => googleAdapter.chat.parseResponse(json, ctx);

describe("google chat response", () => {
  it("maps text, thoughts, id, model and usage with cached and thinking tokens", () => {
    expect(parse(cachedThinking)).toEqual({
      id: "bO5SaY3XJ9Kg1MkPpM-t8QE",
      object: "chat.completion",
      created: 1_760_000_000,
      model: "gemini-2.5-flash",
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            content: "The capital of France is **Paris**.",
            reasoning_content: "**Weighing the question**\n\nThe user wants the capital of France. That is Paris.",
          },
          finish_reason: "stop",
          logprobs: null,
        },
      ],
      usage: {
        prompt_tokens: 2110,
        completion_tokens: 57,
        total_tokens: 2167,
        prompt_tokens_details: { cached_tokens: 2048 },
        completion_tokens_details: { reasoning_tokens: 48 },
      },
    });
  });

  it("falls back to the context's id and model, and sums usage without totalTokenCount", () => {
    const response = parse({
      candidates: [{ content: { parts: [{ text: "hi" }], role: "model" }, finishReason: "STOP" }],
      usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 1 },
    });
    expect(response.id).toBe("chatcmpl-fallback");
    expect(response.model).toBe("gemini-2.5-flash");
    expect(response.choices[0]?.index).toBe(0);
    expect(response.usage).toEqual({
      prompt_tokens: 3,
      completion_tokens: 1,
      total_tokens: 4,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0 },
    });
  });

  it("maps parallel function calls to tool_calls with ids, JSON arguments and the thought signature", () => {
    const response = parse(toolCalls);
    expect(response.model).toBe("gemini-3-flash-preview");
    const choice = response.choices[0];
    expect(choice?.finish_reason).toBe("tool_calls");
    expect(choice?.message.content).toBeNull();
    const calls = choice?.message.tool_calls ?? [];
    expect(calls).toEqual([
      {
        id: expect.stringMatching(/^call_[0-9a-f]{24}$/),
        type: "function",
        function: { name: "get_weather", arguments: '{"city":"Paris","unit":"celsius"}' },
        extra_content: { google: { thought_signature: "CiIBVKhc7oLwWyEa0PJ1d4hK0gxzvy7XfbPYc0QOBe6Q" } },
      },
      {
        id: expect.stringMatching(/^call_[0-9a-f]{24}$/),
        type: "function",
        function: { name: "get_time", arguments: '{"timezone":"Europe/London"}' },
      },
    ]);
    expect(calls[0]?.id).not.toBe(calls[1]?.id);
    expect(response.usage?.completion_tokens).toBe(125);
    expect(response.usage?.completion_tokens_details).toEqual({ reasoning_tokens: 84 });
  });

  it("keeps Gemini's own function call id and defaults missing args to {}", () => {
    const response = parse({
      candidates: [
        { content: { parts: [{ functionCall: { id: "fc-1", name: "ping" } }] }, finishReason: "STOP", index: 0 },
      ],
    });
    expect(response.choices[0]?.message.tool_calls).toEqual([
      { id: "fc-1", type: "function", function: { name: "ping", arguments: "{}" } },
    ]);
  });

  it("maps every candidate to a choice (n > 1), in index order", () => {
    const response = parse(twoCandidates);
    expect(response.choices.map((c) => [c.index, c.message.content, c.finish_reason])).toEqual([
      [0, "Roses are red.", "stop"],
      [1, "Violets are", "length"],
    ]);
    const reversed = parse({ ...twoCandidates, candidates: [...twoCandidates.candidates].reverse() });
    expect(reversed.choices.map((c) => c.index)).toEqual([0, 1]);
  });

  it.each([
    ["STOP", "stop"],
    ["MAX_TOKENS", "length"],
    ["SAFETY", "content_filter"],
    ["RECITATION", "content_filter"],
    ["BLOCKLIST", "content_filter"],
    ["PROHIBITED_CONTENT", "content_filter"],
    ["SPII", "content_filter"],
    ["IMAGE_SAFETY", "content_filter"],
    ["IMAGE_PROHIBITED_CONTENT", "content_filter"],
    ["LANGUAGE", "stop"],
    ["OTHER", "stop"],
    ["MALFORMED_FUNCTION_CALL", "stop"],
    ["FINISH_REASON_UNSPECIFIED", "stop"],
    ["SOMETHING_NEW", "stop"],
  ])("maps finishReason %s to %s", (finishReason, expected) => {
    const response = parse({
      candidates: [{ content: { parts: [{ text: "x" }], role: "model" }, finishReason, index: 0 }],
    });
    expect(response.choices[0]?.finish_reason).toBe(expected);
  });

  it("answers a candidate stopped by safety with null content", () => {
    const response = parse(safety);
    expect(response.choices).toEqual([
      { index: 0, message: { role: "assistant", content: null }, finish_reason: "content_filter", logprobs: null },
    ]);
    expect(response.usage?.prompt_tokens).toBe(14);
    expect(response.usage?.completion_tokens).toBe(0);
  });

  it("answers a blocked prompt with one filtered empty choice", () => {
    const response = parse(promptBlocked);
    expect(response.id).toBe("iABTaci5LPXMz7IPl5nZ-Qo");
    expect(response.choices).toEqual([
      { index: 0, message: { role: "assistant", content: null }, finish_reason: "content_filter", logprobs: null },
    ]);
    expect(response.usage).toMatchObject({ prompt_tokens: 21, completion_tokens: 0, total_tokens: 21 });
  });

  it.each([
    ["not an object", "oops"],
    ["candidates not an array", { candidates: { text: "x" } }],
    ["a part with a non-string text", { candidates: [{ content: { parts: [{ text: 5 }] } }] }],
    ["no candidates and no block reason", { usageMetadata: { promptTokenCount: 1 } }],
  ])("throws MalformedUpstreamError for %s", (_what, body) => {
    expect(() => parse(body)).toThrow(MalformedUpstreamError);
  });
});

describe("google errors", () => {
  it("normalises Google's error envelope", () => {
    expect(googleAdapter.parseError(400, JSON.stringify(errorInvalidArgument))).toEqual({
      message: "* GenerateContentRequest.contents: contents is not specified\n",
      type: "invalid_argument",
      code: "INVALID_ARGUMENT",
      param: null,
    });
  });

  it("accepts the array-of-one form", () => {
    expect(googleAdapter.parseError(429, JSON.stringify(errorQuotaArray))).toEqual({
      message: expect.stringContaining("You exceeded your current quota"),
      type: "resource_exhausted",
      code: "RESOURCE_EXHAUSTED",
      param: null,
    });
  });

  it("truncates non-JSON bodies to 500 characters", () => {
    const html = `<html><body>${"x".repeat(1000)}</body></html>`;
    const error = googleAdapter.parseError(502, html);
    expect(error).toEqual({ message: html.slice(0, 500), type: "upstream_error", code: null, param: null });
  });

  it("handles JSON that is not Google's envelope and empty bodies", () => {
    expect(googleAdapter.parseError(500, '{"oops":true}')).toEqual({
      message: '{"oops":true}',
      type: "upstream_error",
      code: null,
      param: null,
    });
    expect(googleAdapter.parseError(503, "").message).toBe("upstream error 503");
  });
});
