import { describe, expect, it } from "vitest";
import { anthropicAdapter } from "../../providers/anthropic";
import { MalformedUpstreamError, type ResponseContext } from "../../providers/types";
import {
  cachedMessage,
  errorBodies,
  jsonToolMessage,
  multiTextMessage,
  serverToolMessage,
  textMessage,
  thinkingMessage,
  toolOnlyMessage,
  toolUseMessage,
  withStopReason,
} from "../fixtures/anthropic/messages";

const ctx: ResponseContext = { model: "claude-sonnet-4-5", fallbackId: "chatcmpl-fallback", created: 1_750_000_000 };
const parse = (json: unknown) => anthropicAdapter.chat.parseResponse(json, ctx);

describe("anthropic response", () => {
  it("maps a text message to a chat.completion", () => {
    expect(parse(textMessage)).toEqual({
      id: "msg_01XFDUDYJgAACzvnptvVoYEL",
      object: "chat.completion",
      created: 1_750_000_000,
      model: "claude-sonnet-4-5-20250929",
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: "Hello! How can I help you today?", refusal: null },
          finish_reason: "stop",
          logprobs: null,
        },
      ],
      usage: { prompt_tokens: 21, completion_tokens: 9, total_tokens: 30, prompt_tokens_details: { cached_tokens: 0 } },
    });
  });

  it("concatenates text blocks", () => {
    expect(parse(multiTextMessage).choices[0]?.message.content).toBe("The grass is green.");
  });

  it("counts cache reads and writes into prompt_tokens, OpenAI-style", () => {
    expect(parse(cachedMessage).usage).toEqual({
      prompt_tokens: 50 + 3000 + 1200,
      completion_tokens: 40,
      total_tokens: 50 + 3000 + 1200 + 40,
      prompt_tokens_details: { cached_tokens: 3000 },
      cache_creation_input_tokens: 1200,
    });
  });

  it("maps tool_use blocks to tool_calls with JSON arguments", () => {
    const completion = parse(toolUseMessage);
    expect(completion.choices[0]).toEqual({
      index: 0,
      message: {
        role: "assistant",
        content: "I'll check the weather in both cities.",
        refusal: null,
        tool_calls: [
          {
            id: "toolu_01A09q90qw90lq917835lq9",
            type: "function",
            function: { name: "get_weather", arguments: '{"location":"San Francisco, CA","unit":"celsius"}' },
          },
          {
            id: "toolu_01B18r01rx01mr028946mr0",
            type: "function",
            function: { name: "get_weather", arguments: '{"location":"New York, NY","unit":"celsius"}' },
          },
        ],
      },
      finish_reason: "tool_calls",
      logprobs: null,
    });
  });

  it("gives null content when the model only called tools", () => {
    const message = parse(toolOnlyMessage).choices[0]?.message;
    expect(message?.content).toBeNull();
    expect(message?.tool_calls).toEqual([
      { id: "toolu_01OnlyOne", type: "function", function: { name: "get_time", arguments: "{}" } },
    ]);
  });

  it("turns the json_schema emulation tool back into JSON content with finish_reason stop", () => {
    const choice = parse(jsonToolMessage).choices[0];
    expect(choice?.message).toEqual({
      role: "assistant",
      content: '{"city":"Paris","temperature_c":18,"conditions":["cloudy","windy"]}',
      refusal: null,
    });
    expect(choice?.finish_reason).toBe("stop");
  });

  it("keeps client tool calls next to the json answer", () => {
    const mixed = { ...jsonToolMessage, content: [...toolOnlyMessage.content, ...jsonToolMessage.content] };
    const choice = parse(mixed).choices[0];
    expect(choice?.message.content).toBe('{"city":"Paris","temperature_c":18,"conditions":["cloudy","windy"]}');
    expect(choice?.message.tool_calls?.map((call) => call.function.name)).toEqual(["get_time"]);
    expect(choice?.finish_reason).toBe("tool_calls");
  });

  it("maps thinking to reasoning_content and skips redacted thinking", () => {
    expect(parse(thinkingMessage).choices[0]?.message).toEqual({
      role: "assistant",
      content: "27 × 453 = 12,231",
      refusal: null,
      reasoning_content: "The user asks for 27 * 453. 27 * 453 = 12231.",
    });
  });

  it("passes over server tool blocks it cannot map", () => {
    expect(parse(serverToolMessage).choices[0]?.message.content).toBe("It is sunny in Paris.");
  });

  it.each([
    ["end_turn", "stop"],
    ["stop_sequence", "stop"],
    ["max_tokens", "length"],
    ["model_context_window_exceeded", "length"],
    ["tool_use", "stop"],
    ["refusal", "content_filter"],
    ["pause_turn", "stop"],
    ["some_future_reason", "stop"],
  ])("maps stop_reason %s to %s", (stopReason, finishReason) => {
    expect(
      parse(withStopReason(stopReason, stopReason === "stop_sequence" ? "END" : null)).choices[0]?.finish_reason,
    ).toBe(finishReason);
  });

  it("maps a null stop_reason to a null finish_reason", () => {
    expect(parse(withStopReason(null)).choices[0]?.finish_reason).toBeNull();
  });

  it.each([
    ["not an object", "hello"],
    ["missing content", { ...textMessage, content: undefined }],
    ["missing usage", { ...textMessage, usage: undefined }],
    ["a text block without text", { ...textMessage, content: [{ type: "text" }] }],
    ["a tool_use block without input", { ...textMessage, content: [{ type: "tool_use", id: "t", name: "f" }] }],
    ["an error body on 2xx", JSON.parse(errorBodies.overloaded)],
  ])("throws MalformedUpstreamError for %s", (_what, body) => {
    expect(() => parse(body)).toThrow(MalformedUpstreamError);
  });
});

describe("anthropic errors", () => {
  it("takes type and message from Anthropic's error body", () => {
    expect(anthropicAdapter.parseError(400, errorBodies.invalidRequest)).toEqual({
      message: 'messages: roles must alternate between "user" and "assistant"',
      type: "invalid_request_error",
      code: null,
      param: null,
    });
    expect(anthropicAdapter.parseError(529, errorBodies.overloaded)).toEqual({
      message: "Overloaded",
      type: "overloaded_error",
      code: null,
      param: null,
    });
  });

  it("quotes non-JSON bodies, truncated to 500 characters", () => {
    const html = anthropicAdapter.parseError(413, errorBodies.html413);
    expect(html.type).toBe("upstream_error");
    expect(html.message).toContain("413 Request Entity Too Large");
    const long = anthropicAdapter.parseError(502, "x".repeat(2000));
    expect(long.message).toBe("x".repeat(500));
    expect(anthropicAdapter.parseError(503, "")).toEqual({
      message: "upstream error 503",
      type: "upstream_error",
      code: null,
      param: null,
    });
  });

  it("quotes JSON of another shape as text", () => {
    expect(anthropicAdapter.parseError(500, '{"message":"oops"}')).toEqual({
      message: '{"message":"oops"}',
      type: "upstream_error",
      code: null,
      param: null,
    });
  });
});
