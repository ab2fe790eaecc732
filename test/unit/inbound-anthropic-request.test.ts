import { describe, expect, it } from "vitest";
import { toAnthropicBody } from "../../providers/anthropic/request";
import { effortFor, messagesToChat } from "../../providers/inbound-anthropic/to-chat";
import { UnsupportedParameterError } from "../../providers/types";
import { countTokensRequestSchema, messagesRequestSchema } from "../../schema/anthropic-messages";
import { chatCompletionRequestSchema } from "../../schema/openai-request";
import {
  anthropicOnlyRequest,
  mediaRequest,
  PDF_BASE64,
  PNG_BASE64,
  simpleRequest,
  toolLoopRequest,
} from "../fixtures/inbound-anthropic/requests";

const translate = (body: unknown) => messagesToChat(messagesRequestSchema.parse(body));

describe("Messages request schema", () => {
  it("requires max_tokens, names the field, and keeps fields it does not know", () => {
    const { max_tokens: _dropped, ...noMax } = simpleRequest;
    const result = messagesRequestSchema.safeParse(noMax);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(["max_tokens"]);
    const parsed = messagesRequestSchema.parse({ ...simpleRequest, service_tier: "auto", container: "c_1" });
    expect(parsed).toMatchObject({ service_tier: "auto", container: "c_1" });
    expect(countTokensRequestSchema.safeParse(noMax).success).toBe(true);
  });

  it("refuses Anthropic's own out-of-range values (temperature above 1, a thinking budget below 1024)", () => {
    expect(messagesRequestSchema.safeParse({ ...simpleRequest, temperature: 1.5 }).error?.issues[0]?.path).toEqual([
      "temperature",
    ]);
    const lowBudget = { ...simpleRequest, thinking: { type: "enabled", budget_tokens: 500 } };
    expect(messagesRequestSchema.safeParse(lowBudget).error?.issues[0]?.path).toEqual(["thinking", "budget_tokens"]);
  });
});

describe("Messages -> chat", () => {
  it("maps system, sampling, stop sequences, the end user and max_tokens; top_k has no chat field", () => {
    const { chat, problems } = translate(simpleRequest);
    expect(problems.list).toEqual([]);
    expect(chat).toEqual({
      model: "claude-sonnet-4-5",
      messages: [
        { role: "system", content: "You are terse." },
        { role: "user", content: "Hello, Claude" },
      ],
      max_tokens: 1024,
      temperature: 0.3,
      top_p: 0.9,
      stop: ["\n\nHuman:", "END"],
      user: "user-42",
    });
    expect(chatCompletionRequestSchema.safeParse(chat).success).toBe(true);
  });

  it("maps a tool loop: thinking dropped, tool_use as tool_calls, tool_result as a tool message before the user's text", () => {
    const { chat, problems } = translate(toolLoopRequest);
    expect(problems.list).toEqual([]);
    expect(chat.messages).toEqual([
      { role: "system", content: "You are Claude Code.\n\nProject rules: be careful." },
      { role: "user", content: [{ type: "text", text: "What's the weather in Paris?" }] },
      {
        role: "assistant",
        content: "Let me check.",
        tool_calls: [
          {
            id: "toolu_01A09q90qw90lq917835lq9",
            type: "function",
            function: { name: "get_weather", arguments: '{"location":"Paris"}' },
          },
        ],
      },
      { role: "tool", tool_call_id: "toolu_01A09q90qw90lq917835lq9", content: "18°C, cloudy" },
      { role: "user", content: [{ type: "text", text: "And tomorrow?" }] },
    ]);
    expect(chat.tools).toEqual([
      {
        type: "function",
        function: {
          name: "get_weather",
          description: "Get the current weather in a given location",
          parameters: toolLoopRequest.tools[0]?.input_schema,
        },
      },
    ]);
    expect(chat).toMatchObject({
      tool_choice: "auto",
      parallel_tool_calls: false,
      reasoning_effort: "medium",
      max_tokens: 8192,
    });
    expect(chat).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(chatCompletionRequestSchema.safeParse(chat).success).toBe(true);
  });

  it("maps images, PDFs and text documents, and moves a tool result's image into the user message after it", () => {
    const { chat, problems } = translate(mediaRequest);
    expect(problems.list).toEqual([]);
    expect(chat.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "image_url", image_url: { url: `data:image/png;base64,${PNG_BASE64}` } },
          { type: "image_url", image_url: { url: "https://example.com/cat.jpg" } },
          { type: "file", file: { file_data: `data:application/pdf;base64,${PDF_BASE64}`, filename: "report.pdf" } },
          { type: "text", text: "Plain notes." },
          { type: "text", text: "Describe these." },
        ],
      },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "toolu_screenshot", type: "function", function: { name: "screenshot", arguments: "{}" } }],
      },
      { role: "tool", tool_call_id: "toolu_screenshot", content: "captured" },
      { role: "user", content: [{ type: "image_url", image_url: { url: `data:image/png;base64,${PNG_BASE64}` } }] },
    ]);
    expect(chatCompletionRequestSchema.safeParse(chat).success).toBe(true);
  });

  it("maps every tool_choice", () => {
    const withChoice = (tool_choice: unknown) =>
      translate({ ...toolLoopRequest, thinking: undefined, tool_choice }).chat;
    expect(withChoice({ type: "any" })).toMatchObject({ tool_choice: "required" });
    expect(withChoice({ type: "tool", name: "get_weather" })).toMatchObject({
      tool_choice: { type: "function", function: { name: "get_weather" } },
    });
    expect(withChoice({ type: "none" })).toMatchObject({ tool_choice: "none" });
    expect(withChoice({ type: "auto" })).not.toHaveProperty("parallel_tool_calls");
  });

  it("maps thinking budgets to reasoning effort as the Anthropic adapter maps them back", () => {
    expect(effortFor({ type: "enabled", budget_tokens: 1024 })).toBe("low");
    expect(effortFor({ type: "enabled", budget_tokens: 4096 })).toBe("medium");
    expect(effortFor({ type: "enabled", budget_tokens: 4097 })).toBe("high");
    expect(effortFor({ type: "disabled" })).toBeUndefined();
  });

  it("records what only Anthropic can serve instead of failing, and names the field when a target needs it", () => {
    const { chat, problems } = translate(anthropicOnlyRequest);
    expect(problems.list.map((problem) => problem.param)).toEqual(["messages[0].content[0].source", "tools[0]"]);
    expect(chat.messages).toEqual([{ role: "user", content: [{ type: "text", text: "Summarise." }] }]);
    expect(() => problems.throwFirst("openai")).toThrow(UnsupportedParameterError);
    expect(() => problems.throwFirst("openai")).toThrow(/messages\[0\]\.content\[0\]\.source: .*file_id.*openai/);
  });

  it("round-trips through the Anthropic adapter: tools, tool loop, images and documents come back as they were sent", () => {
    const { chat } = translate({ ...mediaRequest, tools: [toolLoopRequest.tools[0]] });
    const back = toAnthropicBody(chatCompletionRequestSchema.parse(chat));
    expect(back.messages[0]?.content.slice(0, 3)).toEqual([
      { type: "image", source: { type: "base64", media_type: "image/png", data: PNG_BASE64 } },
      { type: "image", source: { type: "url", url: "https://example.com/cat.jpg" } },
      {
        type: "document",
        source: { type: "base64", media_type: "application/pdf", data: PDF_BASE64 },
        title: "report.pdf",
      },
    ]);
    expect(back.messages[1]).toEqual({
      role: "assistant",
      content: [{ type: "tool_use", id: "toolu_screenshot", name: "screenshot", input: {} }],
    });
    expect(back.messages[2]?.content[0]).toEqual({
      type: "tool_result",
      tool_use_id: "toolu_screenshot",
      content: "captured",
    });
    expect(back.tools?.[0]).toMatchObject({
      name: "get_weather",
      input_schema: toolLoopRequest.tools[0]?.input_schema,
    });
  });
});
