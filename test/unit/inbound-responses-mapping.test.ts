import { describe, expect, it } from "vitest";
import { chatToResponse } from "../../providers/inbound-responses/from-chat";
import { accountResponse } from "../../providers/inbound-responses/native";
import { responsesToChat } from "../../providers/inbound-responses/to-chat";
import { responseShell } from "../../providers/inbound-responses/wire";
import { responsesRequestSchema } from "../../schema/openai-responses";
import { textCompletion, thinkingCachedCompletion, toolCompletion } from "../fixtures/inbound-anthropic/chat-answers";
import { PNG_BASE64 } from "../fixtures/inbound-anthropic/requests";
import { openaiResponse } from "../fixtures/inbound-responses/openai";

const parse = (body: unknown) => responsesRequestSchema.parse(body);
const weather = {
  type: "function",
  name: "get_weather",
  description: "Weather",
  parameters: { type: "object", properties: { city: { type: "string" } } },
  strict: true,
};

/** A tool loop as the openai SDK sends it: the earlier turn's output items fed back with the tool's result. */
const toolLoop = {
  model: "claude-sonnet-4-5",
  instructions: "Use tools.",
  input: [
    {
      role: "user",
      content: [
        { type: "input_text", text: "Weather here?" },
        { type: "input_image", image_url: `data:image/png;base64,${PNG_BASE64}`, detail: "auto" },
      ],
    },
    { type: "reasoning", id: "rs_1", summary: [] },
    {
      type: "message",
      id: "msg_1",
      role: "assistant",
      status: "completed",
      content: [{ type: "output_text", text: "Checking.", annotations: [] }],
    },
    {
      type: "function_call",
      id: "fc_1",
      call_id: "call_1",
      name: "get_weather",
      arguments: '{"city":"Paris"}',
      status: "completed",
    },
    {
      type: "function_call",
      id: "fc_2",
      call_id: "call_2",
      name: "get_weather",
      arguments: '{"city":"Lyon"}',
      status: "completed",
    },
    { type: "function_call_output", call_id: "call_1", output: "18C" },
    { type: "function_call_output", call_id: "call_2", output: [{ type: "input_text", text: "20C" }] },
  ],
  tools: [weather],
  tool_choice: { type: "function", name: "get_weather" },
  parallel_tool_calls: false,
  text: { format: { type: "json_schema", name: "forecast", schema: { type: "object" }, strict: true } },
  reasoning: { effort: "xhigh" },
  max_output_tokens: 500,
  temperature: 0.3,
  top_p: 0.9,
  user: "u-1",
  stream: true,
};

describe("Responses request -> chat", () => {
  it("maps a tool loop: instructions, image, calls joined on the assistant turn, tool outputs, options", () => {
    const { chat, problems } = responsesToChat(parse(toolLoop));
    expect(problems.list).toEqual([]);
    expect(chat).toEqual({
      model: "claude-sonnet-4-5",
      messages: [
        { role: "system", content: "Use tools." },
        {
          role: "user",
          content: [
            { type: "text", text: "Weather here?" },
            { type: "image_url", image_url: { url: `data:image/png;base64,${PNG_BASE64}` } },
          ],
        },
        {
          role: "assistant",
          content: "Checking.",
          tool_calls: [
            { id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
            { id: "call_2", type: "function", function: { name: "get_weather", arguments: '{"city":"Lyon"}' } },
          ],
        },
        { role: "tool", tool_call_id: "call_1", content: "18C" },
        { role: "tool", tool_call_id: "call_2", content: "20C" },
      ],
      max_tokens: 500,
      temperature: 0.3,
      top_p: 0.9,
      user: "u-1",
      reasoning_effort: "high",
      response_format: {
        type: "json_schema",
        json_schema: { name: "forecast", schema: { type: "object" }, strict: true },
      },
      tools: [
        {
          type: "function",
          function: { name: "get_weather", description: "Weather", parameters: weather.parameters, strict: true },
        },
      ],
      tool_choice: { type: "function", function: { name: "get_weather" } },
      parallel_tool_calls: false,
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it("puts the stored history between the instructions and the new input", () => {
    const history = parse({
      model: "m",
      input: [
        { role: "user", content: "Hi" },
        { type: "message", role: "assistant", content: [{ type: "output_text", text: "Hello" }] },
      ],
    }).input;
    const { chat } = responsesToChat(
      parse({ model: "m", instructions: "Brief.", input: "Again", text: { format: { type: "json_object" } } }),
      Array.isArray(history) ? history : [],
    );
    expect(chat.messages).toEqual([
      { role: "system", content: "Brief." },
      { role: "user", content: "Hi" },
      { role: "assistant", content: "Hello" },
      { role: "user", content: "Again" },
    ]);
    expect(chat.response_format).toEqual({ type: "json_object" });
  });

  it("records what only OpenAI can read as problems naming the field", () => {
    const { problems } = responsesToChat(
      parse({
        model: "m",
        input: [
          { role: "user", content: [{ type: "input_image", file_id: "file-1" }] },
          { type: "item_reference", id: "msg_x" },
        ],
        tools: [{ type: "web_search" }],
        tool_choice: { type: "web_search" },
      }),
    );
    expect(problems.list.map((problem) => problem.param)).toEqual([
      "input[0].content[0].file_id",
      "input[1]",
      "tools[0]",
    ]);
  });

  it("rejects invalid fields with their path", () => {
    const bad = responsesRequestSchema.safeParse({
      model: "m",
      input: [{ type: "function_call_output", output: "x" }],
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(["input", 0, "call_id"]);
    expect(responsesRequestSchema.safeParse({ model: "m", input: "x", temperature: 3 }).error?.issues[0]?.path).toEqual(
      ["temperature"],
    );
  });
});

describe("chat answer -> response", () => {
  const shell = () =>
    responseShell(parse({ model: "gpt-4o", input: "Hi", store: false, metadata: { a: "b" } }), "resp_1", 1);

  it("text: one message item with output_text, usage with details", () => {
    const response = chatToResponse(textCompletion, shell());
    expect(response).toMatchObject({
      id: "resp_1",
      object: "response",
      status: "completed",
      model: "gpt-4o-2024-08-06",
      store: false,
      metadata: { a: "b" },
      output: [
        {
          type: "message",
          role: "assistant",
          status: "completed",
          content: [{ type: "output_text", text: "Hello! How can I help?", annotations: [] }],
        },
      ],
      usage: {
        input_tokens: 19,
        output_tokens: 10,
        total_tokens: 29,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens_details: { reasoning_tokens: 0 },
      },
    });
    expect(response.output[0]?.id).toMatch(/^msg_[0-9a-f]{48}$/);
  });

  it("tool calls become function_call items; a length finish is incomplete with its reason; cached tokens kept", () => {
    const tools = chatToResponse(toolCompletion, shell());
    expect(tools.output).toMatchObject([
      {
        type: "function_call",
        call_id: "call_abc",
        name: "get_weather",
        arguments: '{"location":"Paris"}',
        status: "completed",
      },
      { type: "function_call", call_id: "call_def", name: "get_time" },
    ]);
    const cut = chatToResponse(thinkingCachedCompletion, shell());
    expect(cut).toMatchObject({
      status: "incomplete",
      incomplete_details: { reason: "max_output_tokens" },
      usage: { input_tokens: 4250, input_tokens_details: { cached_tokens: 3000 } },
    });
  });

  it("an OpenAI response is accounted as chat usage (cached and reasoning tokens) for the log", () => {
    const completion = accountResponse(openaiResponse, { model: "gpt-4.1", created: 5, fallbackId: "x" });
    expect(completion).toMatchObject({
      model: "gpt-4.1-2025-04-14",
      choices: [{ finish_reason: "stop" }],
      usage: {
        prompt_tokens: 36,
        completion_tokens: 87,
        total_tokens: 123,
        prompt_tokens_details: { cached_tokens: 12 },
        completion_tokens_details: { reasoning_tokens: 64 },
      },
    });
  });
});
