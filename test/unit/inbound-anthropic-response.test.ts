import { describe, expect, it } from "vitest";
import { anthropicErrorType, anthropicTypeOf } from "../../providers/inbound-anthropic/errors";
import { chatToMessage } from "../../providers/inbound-anthropic/from-chat";
import { stopReasonOf } from "../../providers/inbound-anthropic/message";
import { MalformedUpstreamError } from "../../providers/types";
import { parseAnthropicResponse } from "../../providers/anthropic/response";
import { textCompletion, thinkingCachedCompletion, toolCompletion } from "../fixtures/inbound-anthropic/chat-answers";
import { cachedMessage } from "../fixtures/anthropic/messages";

describe("chat answer -> Anthropic message", () => {
  it("maps a text answer, its id, model, stop reason and usage", () => {
    expect(chatToMessage(textCompletion)).toEqual({
      id: "msg_chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
      type: "message",
      role: "assistant",
      model: "gpt-4o-2024-08-06",
      content: [{ type: "text", text: "Hello! How can I help?" }],
      stop_reason: "end_turn",
      stop_sequence: null,
      usage: { input_tokens: 19, output_tokens: 10, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    });
  });

  it("maps tool calls to tool_use blocks with their input as an object, and stop_reason tool_use", () => {
    const message = chatToMessage(toolCompletion);
    expect(message.content).toEqual([
      { type: "tool_use", id: "call_abc", name: "get_weather", input: { location: "Paris" } },
      { type: "tool_use", id: "call_def", name: "get_time", input: { tz: "Europe/Paris" } },
    ]);
    expect(message.stop_reason).toBe("tool_use");
  });

  it("maps reasoning to a thinking block first, length to max_tokens, and takes cache reads and writes out of input_tokens", () => {
    const message = chatToMessage(thinkingCachedCompletion);
    expect(message.content).toEqual([
      { type: "thinking", thinking: "Think it through.", signature: "" },
      { type: "text", text: "42." },
    ]);
    expect(message.stop_reason).toBe("max_tokens");
    expect(message.usage).toEqual({
      input_tokens: 50,
      output_tokens: 40,
      cache_creation_input_tokens: 1200,
      cache_read_input_tokens: 3000,
    });
  });

  it("inverts the Anthropic adapter's usage: an Anthropic message through chat and back keeps its counts", () => {
    const chat = parseAnthropicResponse(cachedMessage, { model: "m", fallbackId: "x", created: 0 });
    expect(chatToMessage(chat).usage).toEqual({
      input_tokens: 50,
      output_tokens: 40,
      cache_creation_input_tokens: 1200,
      cache_read_input_tokens: 3000,
    });
  });

  it("maps every finish reason (a provider that says stop after calling tools still means tool_use)", () => {
    expect(stopReasonOf("stop", false)).toBe("end_turn");
    expect(stopReasonOf("length", false)).toBe("max_tokens");
    expect(stopReasonOf("tool_calls", true)).toBe("tool_use");
    expect(stopReasonOf("stop", true)).toBe("tool_use");
    expect(stopReasonOf("content_filter", false)).toBe("refusal");
    expect(stopReasonOf(null, false)).toBe("end_turn");
  });

  it("refuses a body that is not a chat completion as a malformed upstream answer", () => {
    expect(() => chatToMessage({ error: { message: "x" } })).toThrow(MalformedUpstreamError);
  });
});

describe("Anthropic error types", () => {
  it("gives each status Anthropic's meaning", () => {
    const types = [400, 401, 403, 404, 413, 429, 500, 529, 502, 446].map(anthropicErrorType);
    expect(types).toEqual([
      "invalid_request_error",
      "authentication_error",
      "permission_error",
      "not_found_error",
      "request_too_large",
      "rate_limit_error",
      "api_error",
      "overloaded_error",
      "api_error",
      "invalid_request_error",
    ]);
  });

  it("keeps an Anthropic type and renames other formats' types", () => {
    expect(anthropicTypeOf("overloaded_error")).toBe("overloaded_error");
    expect(anthropicTypeOf("server_error")).toBe("api_error");
    expect(anthropicTypeOf("upstream_error", 429)).toBe("rate_limit_error");
  });
});
