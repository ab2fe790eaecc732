import { describe, expect, it } from "vitest";
import { ANTHROPIC_DEFAULT_MAX_TOKENS, anthropicAdapter } from "../../providers/anthropic";
import { UnsupportedParameterError, type ResolvedTarget } from "../../providers/types";
import { chatCompletionRequestSchema } from "../../schema/openai-request";

const target: ResolvedTarget = { provider: "anthropic", apiKey: "sk-ant-test" };
const MODEL = "claude-sonnet-4-5";

/** Validate through the public schema (as the route does) and build the upstream call. */
function build(body: Record<string, unknown>, t: ResolvedTarget = target) {
  const request = chatCompletionRequestSchema.parse({ model: MODEL, ...body });
  const call = anthropicAdapter.chat.buildRequest(request, t);
  return { call, json: JSON.parse(call.body) as Record<string, unknown> };
}

const hello = [{ role: "user", content: "Hello" }];

function expectUnsupported(body: Record<string, unknown>, param: string, message?: RegExp): void {
  let caught: unknown;
  try {
    build(body);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(UnsupportedParameterError);
  expect((caught as UnsupportedParameterError).param).toBe(param);
  if (message) expect((caught as UnsupportedParameterError).message).toMatch(message);
}

describe("anthropic request: url and headers", () => {
  it("posts to the public API with the version header and the key", () => {
    const { call } = build({ messages: hello });
    expect(call.url).toBe("https://api.anthropic.com/v1/messages");
    expect(call.headers).toEqual({
      "x-api-key": "sk-ant-test",
      "anthropic-version": "2023-06-01",
      "content-type": "application/json",
    });
  });

  it("uses the custom host as the base URL", () => {
    const { call } = build({ messages: hello }, { ...target, customHost: "https://proxy.allowed.test/anthropic/v1" });
    expect(call.url).toBe("https://proxy.allowed.test/anthropic/v1/messages");
  });

  it("still builds without an API key (the upstream answers 401)", () => {
    const { call } = build({ messages: hello }, { provider: "anthropic" });
    expect(call.headers["x-api-key"]).toBeUndefined();
    expect(call.headers["anthropic-version"]).toBe("2023-06-01");
  });
});

describe("anthropic request: messages", () => {
  it("maps a minimal request with the default max_tokens", () => {
    const { json } = build({ messages: hello });
    expect(json).toEqual({
      model: MODEL,
      max_tokens: 4096,
      messages: [{ role: "user", content: [{ type: "text", text: "Hello" }] }],
    });
    expect(ANTHROPIC_DEFAULT_MAX_TOKENS).toBe(4096);
  });

  it("moves system and developer messages to the top-level system, in order", () => {
    const { json } = build({
      messages: [
        { role: "system", content: "You are terse." },
        { role: "user", content: "Hi" },
        { role: "assistant", content: "Hello." },
        {
          role: "developer",
          content: [
            { type: "text", text: "Answer in French." },
            { type: "text", text: "No emoji." },
          ],
        },
        { role: "user", content: "How are you?" },
      ],
    });
    expect(json.system).toBe("You are terse.\n\nAnswer in French.\n\nNo emoji.");
    expect(json.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "Hi" }] },
      { role: "assistant", content: [{ type: "text", text: "Hello." }] },
      { role: "user", content: [{ type: "text", text: "How are you?" }] },
    ]);
  });

  it("keeps system as blocks when a part carries cache_control", () => {
    const { json } = build({
      messages: [
        { role: "system", content: [{ type: "text", text: "Long policy...", cache_control: { type: "ephemeral" } }] },
        { role: "system", content: "Be brief." },
        { role: "user", content: [{ type: "text", text: "Q", cache_control: { type: "ephemeral", ttl: "1h" } }] },
      ],
    });
    expect(json.system).toEqual([
      { type: "text", text: "Long policy...", cache_control: { type: "ephemeral" } },
      { type: "text", text: "Be brief." },
    ]);
    expect(json.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "Q", cache_control: { type: "ephemeral", ttl: "1h" } }] },
    ]);
  });

  it("refuses a malformed cache_control", () => {
    expectUnsupported(
      { messages: [{ role: "user", content: [{ type: "text", text: "Q", cache_control: { type: "forever" } }] }] },
      "messages[0].content[0].cache_control",
    );
  });

  it("merges consecutive turns of one role so roles alternate", () => {
    const { json } = build({
      messages: [
        { role: "user", content: "First." },
        { role: "user", content: "Second." },
        { role: "assistant", content: "A." },
        { role: "assistant", content: [{ type: "text", text: "B." }] },
        { role: "user", content: "Third." },
      ],
    });
    expect(json.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "First." },
          { type: "text", text: "Second." },
        ],
      },
      {
        role: "assistant",
        content: [
          { type: "text", text: "A." },
          { type: "text", text: "B." },
        ],
      },
      { role: "user", content: [{ type: "text", text: "Third." }] },
    ]);
  });

  it("drops an empty assistant message and refuses an empty user message", () => {
    const { json } = build({
      messages: [
        { role: "user", content: "Hi" },
        { role: "assistant", content: null },
        { role: "user", content: "Still there?" },
      ],
    });
    expect(json.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "Hi" },
          { type: "text", text: "Still there?" },
        ],
      },
    ]);
    expectUnsupported({ messages: [{ role: "user", content: "" }] }, "messages[0].content");
  });

  it("maps image URLs and base64 data URLs", () => {
    const { json } = build({
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "Compare these." },
            { type: "image_url", image_url: { url: "https://upload.wikimedia.org/ant.jpg", detail: "high" } },
            { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
            { type: "image_url", image_url: { url: "data:image/jpg;base64,/9j/4AAQ" } },
          ],
        },
      ],
    });
    expect(json.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "Compare these." },
          { type: "image", source: { type: "url", url: "https://upload.wikimedia.org/ant.jpg" } },
          { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
          { type: "image", source: { type: "base64", media_type: "image/jpeg", data: "/9j/4AAQ" } },
        ],
      },
    ]);
  });

  it("refuses unsupported images", () => {
    const image = (url: string) => ({
      messages: [{ role: "user", content: [{ type: "image_url", image_url: { url } }] }],
    });
    expectUnsupported(image("data:image/tiff;base64,AAAA"), "messages[0].content[0].image_url.url", /image\/tiff/);
    expectUnsupported(image("data:image/png,rawbytes"), "messages[0].content[0].image_url.url");
    expectUnsupported(image("gs://bucket/ant.png"), "messages[0].content[0].image_url.url");
  });

  it("maps PDF and text files to document blocks", () => {
    const text = btoa(String.fromCharCode(...new TextEncoder().encode("héllo notes")));
    const { json } = build({
      messages: [
        {
          role: "user",
          content: [
            { type: "file", file: { filename: "report.pdf", file_data: "data:application/pdf;base64,JVBERi0xLjQK" } },
            { type: "file", file: { filename: "notes.txt", file_data: `data:text/plain;base64,${text}` } },
            { type: "file", file: { filename: "scan.pdf", file_data: "JVBERi0xLjcK" } },
            { type: "text", text: "Summarise." },
          ],
        },
      ],
    });
    expect(json.messages).toEqual([
      {
        role: "user",
        content: [
          {
            type: "document",
            title: "report.pdf",
            source: { type: "base64", media_type: "application/pdf", data: "JVBERi0xLjQK" },
          },
          {
            type: "document",
            title: "notes.txt",
            source: { type: "text", media_type: "text/plain", data: "héllo notes" },
          },
          {
            type: "document",
            title: "scan.pdf",
            source: { type: "base64", media_type: "application/pdf", data: "JVBERi0xLjcK" },
          },
          { type: "text", text: "Summarise." },
        ],
      },
    ]);
  });

  it("refuses audio, OpenAI file ids and unsupported file types", () => {
    const part = (p: Record<string, unknown>) => ({ messages: [{ role: "user", content: [p] }] });
    expectUnsupported(
      part({ type: "input_audio", input_audio: { data: "AAAA", format: "wav" } }),
      "messages[0].content[0]",
      /audio/,
    );
    expectUnsupported(
      part({ type: "file", file: { file_id: "file-abc123" } }),
      "messages[0].content[0].file",
      /file_id/,
    );
    expectUnsupported(
      part({ type: "file", file: { file_data: "data:application/zip;base64,UEsDBA==" } }),
      "messages[0].content[0].file.file_data",
      /application\/zip/,
    );
  });
});

describe("anthropic request: tool calls and results", () => {
  const toolConversation = [
    { role: "user", content: "Weather in SF and NYC?" },
    {
      role: "assistant",
      content: "Checking.",
      tool_calls: [
        {
          id: "toolu_01",
          type: "function",
          function: { name: "get_weather", arguments: '{"location":"San Francisco"}' },
        },
        { id: "toolu_02", type: "function", function: { name: "get_weather", arguments: '{"location":"New York"}' } },
      ],
    },
    { role: "tool", tool_call_id: "toolu_01", content: "18°C, fog" },
    { role: "tool", tool_call_id: "toolu_02", content: [{ type: "text", text: "25°C, sun" }] },
    { role: "user", content: "Which is warmer?" },
  ];

  it("maps tool calls to tool_use and parallel tool results into one user turn", () => {
    const { json } = build({ messages: toolConversation });
    expect(json.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "Weather in SF and NYC?" }] },
      {
        role: "assistant",
        content: [
          { type: "text", text: "Checking." },
          { type: "tool_use", id: "toolu_01", name: "get_weather", input: { location: "San Francisco" } },
          { type: "tool_use", id: "toolu_02", name: "get_weather", input: { location: "New York" } },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "toolu_01", content: "18°C, fog" },
          { type: "tool_result", tool_use_id: "toolu_02", content: [{ type: "text", text: "25°C, sun" }] },
          { type: "text", text: "Which is warmer?" },
        ],
      },
    ]);
  });

  it("maps an assistant message with only tool calls and empty arguments", () => {
    const { json } = build({
      messages: [
        { role: "user", content: "Time?" },
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "toolu_9", type: "function", function: { name: "now", arguments: "" } }],
        },
        { role: "tool", tool_call_id: "toolu_9", content: "" },
      ],
    });
    expect(json.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "Time?" }] },
      { role: "assistant", content: [{ type: "tool_use", id: "toolu_9", name: "now", input: {} }] },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_9" }] },
    ]);
  });

  it("refuses tool arguments that are not a JSON object, naming the field", () => {
    const withArgs = (args: string) => ({
      messages: [
        { role: "user", content: "x" },
        {
          role: "assistant",
          tool_calls: [
            { id: "t", type: "function", function: { name: "f", arguments: '{"ok":1}' } },
            { id: "u", type: "function", function: { name: "f", arguments: args } },
          ],
        },
      ],
    });
    expectUnsupported(withArgs("{not json"), "messages[1].tool_calls[1].function.arguments", /not valid JSON/);
    expectUnsupported(withArgs("[1,2]"), "messages[1].tool_calls[1].function.arguments", /JSON object/);
  });

  const tools = [
    {
      type: "function",
      function: {
        name: "get_weather",
        description: "Get the weather",
        parameters: { type: "object", properties: { location: { type: "string" } }, required: ["location"] },
        strict: true,
      },
    },
    { type: "function", function: { name: "now" }, cache_control: { type: "ephemeral" } },
  ];

  it("maps tools with their schema, a default schema and cache_control", () => {
    const { json } = build({ messages: hello, tools });
    expect(json.tools).toEqual([
      {
        name: "get_weather",
        description: "Get the weather",
        input_schema: { type: "object", properties: { location: { type: "string" } }, required: ["location"] },
      },
      { name: "now", input_schema: { type: "object", properties: {} }, cache_control: { type: "ephemeral" } },
    ]);
    expect(json.tool_choice).toBeUndefined();
  });

  it.each([
    ["auto", { type: "auto" }],
    ["required", { type: "any" }],
    ["none", { type: "none" }],
    [
      { type: "function", function: { name: "get_weather" } },
      { type: "tool", name: "get_weather" },
    ],
  ])("maps tool_choice %j", (choice, expected) => {
    expect(build({ messages: hello, tools, tool_choice: choice }).json.tool_choice).toEqual(expected);
  });

  it("maps parallel_tool_calls: false to disable_parallel_tool_use", () => {
    expect(build({ messages: hello, tools, parallel_tool_calls: false }).json.tool_choice).toEqual({
      type: "auto",
      disable_parallel_tool_use: true,
    });
    expect(
      build({ messages: hello, tools, tool_choice: "required", parallel_tool_calls: false }).json.tool_choice,
    ).toEqual({
      type: "any",
      disable_parallel_tool_use: true,
    });
    expect(build({ messages: hello, tools, parallel_tool_calls: true }).json.tool_choice).toBeUndefined();
  });

  it("sends no tool_choice without tools", () => {
    const { json } = build({ messages: hello, tool_choice: "auto", parallel_tool_calls: false });
    expect(json.tools).toBeUndefined();
    expect(json.tool_choice).toBeUndefined();
  });

  it("refuses client tools that use the reserved json tool prefix", () => {
    expectUnsupported(
      { messages: hello, tools: [{ type: "function", function: { name: "json_response__x" } }] },
      "tools[0].function.name",
    );
  });
});

describe("anthropic request: response_format", () => {
  const schema = {
    type: "object",
    properties: { city: { type: "string" }, temperature_c: { type: "number" } },
    required: ["city", "temperature_c"],
    additionalProperties: false,
  };
  const jsonSchema = {
    type: "json_schema",
    json_schema: { name: "weather_report", description: "A weather report.", schema, strict: true },
  };
  const jsonTool = {
    name: "json_response__weather_report",
    description:
      "Give your final answer by calling this tool; its input is the answer, as JSON matching the schema.\n\nA weather report.",
    input_schema: schema,
  };

  it("emulates json_schema with a forced tool", () => {
    const { json } = build({ messages: hello, response_format: jsonSchema });
    expect(json.tools).toEqual([jsonTool]);
    expect(json.tool_choice).toEqual({
      type: "tool",
      name: "json_response__weather_report",
      disable_parallel_tool_use: true,
    });
    expect(json.system).toBeUndefined();
  });

  it("lets the model pick a client tool or the json tool when tools are present", () => {
    const tools = [
      { type: "function", function: { name: "get_weather", parameters: { type: "object", properties: {} } } },
    ];
    const { json } = build({ messages: hello, tools, response_format: jsonSchema });
    expect(json.tools).toEqual([{ name: "get_weather", input_schema: { type: "object", properties: {} } }, jsonTool]);
    expect(json.tool_choice).toEqual({ type: "any" });
    expect(
      build({ messages: hello, tools, tool_choice: "none", response_format: jsonSchema }).json.tool_choice,
    ).toEqual({
      type: "tool",
      name: "json_response__weather_report",
      disable_parallel_tool_use: true,
    });
  });

  it("sanitises and truncates the schema name into a valid tool name", () => {
    const { json } = build({
      messages: hello,
      response_format: { type: "json_schema", json_schema: { name: "x".repeat(80) } },
    });
    const [tool] = json.tools as Array<{ name: string; input_schema: unknown }>;
    expect(tool?.name).toBe(`json_response__${"x".repeat(49)}`);
    expect(tool?.input_schema).toEqual({ type: "object", properties: {} });
  });

  it("refuses a schema whose root is not an object", () => {
    expectUnsupported(
      {
        messages: hello,
        response_format: { type: "json_schema", json_schema: { name: "list", schema: { type: "array" } } },
      },
      "response_format.json_schema.schema",
    );
  });

  it("asks for a JSON object in the system prompt for json_object", () => {
    const { json } = build({
      messages: [{ role: "system", content: "Be helpful." }, ...hello],
      response_format: { type: "json_object" },
    });
    expect(json.system).toBe(
      "Be helpful.\n\nRespond only with a single valid JSON object. Do not write anything before or after the JSON object, and do not wrap it in a code block.",
    );
    expect(json.tools).toBeUndefined();
  });

  it("leaves text response_format alone", () => {
    expect(build({ messages: hello, response_format: { type: "text" } }).json).toEqual(build({ messages: hello }).json);
  });
});

describe("anthropic request: parameters", () => {
  it("maps stop, sampling, limits, user and stream", () => {
    const { json } = build({
      messages: hello,
      stop: ["\n\nHuman:", "END"],
      temperature: 0.3,
      top_p: 0.9,
      max_tokens: 300,
      user: "user-42",
      stream: true,
      stream_options: { include_usage: true },
      seed: 7,
      presence_penalty: 0.5,
      frequency_penalty: 0.5,
    });
    expect(json).toEqual({
      model: MODEL,
      messages: [{ role: "user", content: [{ type: "text", text: "Hello" }] }],
      max_tokens: 300,
      stop_sequences: ["\n\nHuman:", "END"],
      temperature: 0.3,
      top_p: 0.9,
      metadata: { user_id: "user-42" },
      stream: true,
    });
  });

  it("maps a single stop string and ignores an empty list", () => {
    expect(build({ messages: hello, stop: "###" }).json.stop_sequences).toEqual(["###"]);
    expect(build({ messages: hello, stop: [] }).json.stop_sequences).toBeUndefined();
  });

  it("prefers max_completion_tokens over max_tokens", () => {
    expect(build({ messages: hello, max_tokens: 100, max_completion_tokens: 200 }).json.max_tokens).toBe(200);
  });

  it("clamps temperature to Anthropic's 0..1 range", () => {
    expect(build({ messages: hello, temperature: 1.7 }).json.temperature).toBe(1);
    expect(build({ messages: hello, temperature: 0 }).json.temperature).toBe(0);
  });

  it("does not send stream: false", () => {
    expect(build({ messages: hello, stream: false }).json.stream).toBeUndefined();
  });

  it("refuses n > 1 and accepts n = 1", () => {
    expectUnsupported({ messages: hello, n: 2 }, "n");
    expect(build({ messages: hello, n: 1 }).json.n).toBeUndefined();
  });
});

describe("anthropic request: reasoning_effort", () => {
  it.each([
    ["low", 1024],
    ["medium", 4096],
    ["high", 16384],
  ] as const)("maps %s to a %i token budget above the default answer room", (effort, budget) => {
    const { json } = build({ messages: hello, reasoning_effort: effort, temperature: 0.2, top_p: 0.5 });
    expect(json.thinking).toEqual({ type: "enabled", budget_tokens: budget });
    expect(json.max_tokens).toBe(budget + ANTHROPIC_DEFAULT_MAX_TOKENS);
    // Anthropic refuses sampling changes with thinking.
    expect(json.temperature).toBeUndefined();
    expect(json.top_p).toBeUndefined();
  });

  it("leaves thinking off for minimal", () => {
    const { json } = build({ messages: hello, reasoning_effort: "minimal" });
    expect(json.thinking).toBeUndefined();
    expect(json.max_tokens).toBe(4096);
  });

  it("keeps an explicit limit as the cap and fits the budget under it", () => {
    expect(build({ messages: hello, reasoning_effort: "high", max_completion_tokens: 8000 }).json).toMatchObject({
      max_tokens: 8000,
      thinking: { type: "enabled", budget_tokens: 7999 },
    });
    expect(build({ messages: hello, reasoning_effort: "low", max_tokens: 20000 }).json).toMatchObject({
      max_tokens: 20000,
      thinking: { type: "enabled", budget_tokens: 1024 },
    });
    expectUnsupported(
      { messages: hello, reasoning_effort: "low", max_completion_tokens: 1024 },
      "max_completion_tokens",
    );
  });

  it("refuses forced tool use with thinking", () => {
    const tools = [{ type: "function", function: { name: "f" } }];
    expectUnsupported({ messages: hello, tools, tool_choice: "required", reasoning_effort: "low" }, "tool_choice");
    expect(build({ messages: hello, tools, tool_choice: "auto", reasoning_effort: "low" }).json.tool_choice).toEqual({
      type: "auto",
    });
  });

  it("leaves thinking off when the request continues a tool loop (no signed thinking block to send back)", () => {
    const tools = [{ type: "function", function: { name: "lookup" } }];
    const loop = [
      { role: "user", content: "Look it up." },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "toolu_1", type: "function", function: { name: "lookup", arguments: "{}" } }],
      },
      { role: "tool", tool_call_id: "toolu_1", content: "42" },
    ];
    const continued = build({ messages: loop, tools, reasoning_effort: "high", temperature: 0.2 }).json;
    expect(continued.thinking).toBeUndefined();
    expect(continued.temperature).toBe(0.2);
    const fresh = build({
      messages: [...loop, { role: "assistant", content: "It is 42." }, { role: "user", content: "Why?" }],
      tools,
      reasoning_effort: "high",
    });
    expect(fresh.json.thinking).toEqual({ type: "enabled", budget_tokens: 16384 });
  });

  it("asks for the json tool by instruction when thinking prevents forcing it", () => {
    const { json } = build({
      messages: hello,
      reasoning_effort: "medium",
      response_format: { type: "json_schema", json_schema: { name: "answer", schema: { type: "object" } } },
    });
    expect(json.tool_choice).toEqual({ type: "auto" });
    expect(json.system).toBe(
      'When you have your final answer, call the tool "json_response__answer" with the answer as its input. Do not answer in plain text.',
    );
  });
});
