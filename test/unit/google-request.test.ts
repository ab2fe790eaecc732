import { describe, expect, it } from "vitest";
import { googleAdapter } from "../../providers/google";
import { SKIP_THOUGHT_SIGNATURE } from "../../providers/google/messages";
import { UnsupportedParameterError, type ResolvedTarget } from "../../providers/types";
import { chatCompletionRequestSchema, type ChatCompletionRequest } from "../../schema/openai-request";

const target: ResolvedTarget = { provider: "google", apiKey: "AIza-test-key" };

/** Validate through the public schema first, as the gateway does, then build the upstream call. */
function build(body: Record<string, unknown>, t: ResolvedTarget = target) {
  const parsed: ChatCompletionRequest = chatCompletionRequestSchema.parse({ model: "gemini-2.5-flash", ...body });
  const call = googleAdapter.chat.buildRequest(parsed, t);
  return { call, json: JSON.parse(call.body) as Record<string, unknown> };
}

const user = (content: unknown) => ({ role: "user", content });

function unsupported(fn: () => unknown): UnsupportedParameterError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UnsupportedParameterError);
    return error as UnsupportedParameterError;
  }
  throw new Error("expected UnsupportedParameterError");
}

describe("google chat request: url and headers", () => {
  it("calls generateContent with the key in a header, never in the URL", () => {
    const { call } = build({ messages: [user("hi")] });
    expect(call.url).toBe("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent");
    expect(call.headers).toEqual({ "content-type": "application/json", "x-goog-api-key": "AIza-test-key" });
    expect(call.url).not.toContain("AIza");
  });

  it("streams with streamGenerateContent?alt=sse and strips a models/ prefix", () => {
    const { call } = build({ model: "models/gemini-2.5-pro", stream: true, messages: [user("hi")] });
    expect(call.url).toBe(
      "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse",
    );
  });

  it("uses a custom host (trailing slash tolerated) and omits the key header without a key", () => {
    const { call } = build(
      { messages: [user("hi")] },
      { provider: "google", customHost: "https://gw.allowed.test/v1beta/" },
    );
    expect(call.url).toBe("https://gw.allowed.test/v1beta/models/gemini-2.5-flash:generateContent");
    expect(call.headers).toEqual({ "content-type": "application/json" });
  });
});

describe("google chat request: messages", () => {
  it("moves system and developer messages to systemInstruction and drops user/name", () => {
    const { json } = build({
      user: "end-user-42",
      messages: [
        { role: "system", content: "Be terse." },
        { role: "developer", content: [{ type: "text", text: "Answer in French." }] },
        { role: "user", name: "alice", content: "Hello" },
      ],
    });
    expect(json).toEqual({
      systemInstruction: { parts: [{ text: "Be terse." }, { text: "Answer in French." }] },
      contents: [{ role: "user", parts: [{ text: "Hello" }] }],
    });
  });

  it("refuses a conversation with nothing but system messages", () => {
    const error = unsupported(() => build({ messages: [{ role: "system", content: "x" }, user("")] }));
    expect(error.param).toBe("messages");
  });

  it("maps roles and merges consecutive turns of the same role", () => {
    const { json } = build({
      messages: [
        user("one"),
        user([{ type: "text", text: "two" }]),
        { role: "assistant", content: "three" },
        { role: "assistant", content: [{ type: "text", text: "four" }] },
        { role: "assistant", content: "" },
        user("five"),
      ],
    });
    expect(json.contents).toEqual([
      { role: "user", parts: [{ text: "one" }, { text: "two" }] },
      { role: "model", parts: [{ text: "three" }, { text: "four" }] },
      { role: "user", parts: [{ text: "five" }] },
    ]);
  });

  it("sends images inline (data URL) or by URI with a guessed MIME type", () => {
    const { json } = build({
      messages: [
        user([
          { type: "text", text: "Compare" },
          { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=" } },
          { type: "image_url", image_url: { url: "https://cdn.example.com/cat.webp?size=large", detail: "high" } },
          { type: "image_url", image_url: { url: "https://cdn.example.com/photo" } },
          { type: "input_audio", input_audio: { data: "UklGRg==", format: "wav" } },
          { type: "file", file: { file_data: "data:application/pdf;base64,JVBERi0x", filename: "a.pdf" } },
        ]),
      ],
    });
    expect(json.contents).toEqual([
      {
        role: "user",
        parts: [
          { text: "Compare" },
          { inlineData: { mimeType: "image/png", data: "iVBORw0KGgo=" } },
          { fileData: { mimeType: "image/webp", fileUri: "https://cdn.example.com/cat.webp?size=large" } },
          { fileData: { mimeType: "image/jpeg", fileUri: "https://cdn.example.com/photo" } },
          { inlineData: { mimeType: "audio/wav", data: "UklGRg==" } },
          { inlineData: { mimeType: "application/pdf", data: "JVBERi0x" } },
        ],
      },
    ]);
  });

  it("refuses media Gemini cannot take, naming the field", () => {
    const notBase64 = unsupported(() =>
      build({ messages: [user([{ type: "image_url", image_url: { url: "data:image/svg+xml,<svg/>" } }])] }),
    );
    expect(notBase64.param).toBe("messages[0].content[0].image_url.url");
    const fileId = unsupported(() =>
      build({ messages: [user("x"), user([{ type: "file", file: { file_id: "file-abc" } }])] }),
    );
    expect(fileId.param).toBe("messages[1].content[0].file");
    const ftp = unsupported(() =>
      build({ messages: [user([{ type: "image_url", image_url: { url: "ftp://x/y.png" } }])] }),
    );
    expect(ftp.param).toBe("messages[0].content[0].image_url.url");
  });
});

const weatherTool = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Weather for a city",
    strict: true,
    parameters: {
      $schema: "http://json-schema.org/draft-07/schema#",
      type: "object",
      additionalProperties: false,
      properties: {
        city: { type: "string", minLength: 1, format: "email", examples: ["Paris"] },
        unit: { type: ["string", "null"], enum: ["celsius", "fahrenheit", null] },
        when: { type: "string", format: "date-time" },
        place: { $ref: "#/$defs/Place", description: "where exactly" },
        tags: { type: "array", items: { const: "x" }, uniqueItems: true },
        mode: { oneOf: [{ type: "integer", exclusiveMinimum: 0 }, { type: "string" }] },
      },
      required: ["city"],
      $defs: { Place: { type: "object", additionalProperties: false, properties: { lat: { type: "number" } } } },
    },
  },
};

describe("google chat request: tools", () => {
  it("declares functions with a schema cleaned to Gemini's subset", () => {
    const { json } = build({
      messages: [user("weather?")],
      tools: [
        weatherTool,
        { type: "function", function: { name: "now", parameters: { type: "object", properties: {} } } },
      ],
    });
    expect(json.tools).toEqual([
      {
        functionDeclarations: [
          {
            name: "get_weather",
            description: "Weather for a city",
            parameters: {
              type: "object",
              properties: {
                city: { type: "string", minLength: 1 },
                unit: { type: "string", nullable: true, enum: ["celsius", "fahrenheit"] },
                when: { type: "string", format: "date-time" },
                place: { type: "object", properties: { lat: { type: "number" } }, description: "where exactly" },
                tags: { type: "array", items: { enum: ["x"] } },
                mode: { anyOf: [{ type: "integer" }, { type: "string" }] },
              },
              required: ["city"],
            },
          },
          { name: "now" },
        ],
      },
    ]);
    expect(json.toolConfig).toBeUndefined();
  });

  it.each([
    ["auto", { mode: "AUTO" }],
    ["none", { mode: "NONE" }],
    ["required", { mode: "ANY" }],
    [
      { type: "function", function: { name: "get_weather" } },
      { mode: "ANY", allowedFunctionNames: ["get_weather"] },
    ],
  ])("maps tool_choice %j", (toolChoice, functionCallingConfig) => {
    const { json } = build({
      messages: [user("x")],
      tools: [weatherTool],
      tool_choice: toolChoice,
      parallel_tool_calls: false,
    });
    expect(json.toolConfig).toEqual({ functionCallingConfig });
  });

  it("sends no toolConfig without tools", () => {
    expect(build({ messages: [user("x")], tool_choice: "none" }).json.toolConfig).toBeUndefined();
  });

  const history = [
    user("Weather in Paris and the time in London?"),
    {
      role: "assistant",
      content: null,
      tool_calls: [
        {
          id: "call_a",
          type: "function",
          function: { name: "get_weather", arguments: '{"city":"Paris"}' },
          extra_content: { google: { thought_signature: "CiIBVKhc7oLw" } },
        },
        { id: "call_b", type: "function", function: { name: "get_time", arguments: "" } },
      ],
    },
    { role: "tool", tool_call_id: "call_b", content: "14:05" },
    { role: "tool", tool_call_id: "call_a", content: [{ type: "text", text: '{"temp":21,"sky":"clear"}' }] },
  ];

  it("replays parallel calls and answers them by name in one user turn", () => {
    const { json } = build({
      messages: [...history, { role: "assistant", content: "21°C and 14:05." }, user("thanks")],
    });
    expect(json.contents).toEqual([
      { role: "user", parts: [{ text: "Weather in Paris and the time in London?" }] },
      {
        role: "model",
        parts: [
          { functionCall: { name: "get_weather", args: { city: "Paris" } }, thoughtSignature: "CiIBVKhc7oLw" },
          { functionCall: { name: "get_time", args: {} } },
        ],
      },
      {
        role: "user",
        parts: [
          { functionResponse: { name: "get_time", response: { content: "14:05" } } },
          { functionResponse: { name: "get_weather", response: { temp: 21, sky: "clear" } } },
        ],
      },
      { role: "model", parts: [{ text: "21°C and 14:05." }] },
      { role: "user", parts: [{ text: "thanks" }] },
    ]);
  });

  it("marks a replayed call without a thought signature with Google's skip placeholder", () => {
    const { json } = build({
      messages: [
        user("go"),
        {
          role: "assistant",
          content: "Checking.",
          tool_calls: [
            { id: "t1", type: "function", function: { name: "a", arguments: "{}" } },
            { id: "t2", type: "function", function: { name: "b", arguments: "{}" } },
          ],
        },
        { role: "tool", tool_call_id: "t1", content: "[1,2]" },
        { role: "tool", tool_call_id: "t2", content: "ok" },
      ],
    });
    const contents = json.contents as { parts: unknown[] }[];
    expect(contents[1]?.parts).toEqual([
      { text: "Checking." },
      { functionCall: { name: "a", args: {} }, thoughtSignature: SKIP_THOUGHT_SIGNATURE },
      { functionCall: { name: "b", args: {} } },
    ]);
    expect(contents[2]?.parts).toEqual([
      { functionResponse: { name: "a", response: { content: "[1,2]" } } },
      { functionResponse: { name: "b", response: { content: "ok" } } },
    ]);
  });

  it("refuses arguments that are not a JSON object, naming the field", () => {
    const call = (args: string) => [
      user("x"),
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "c", type: "function", function: { name: "f", arguments: args } }],
      },
    ];
    expect(unsupported(() => build({ messages: call("{oops") })).param).toBe(
      "messages[1].tool_calls[0].function.arguments",
    );
    expect(unsupported(() => build({ messages: call("[1]") })).param).toBe(
      "messages[1].tool_calls[0].function.arguments",
    );
  });

  it("refuses a tool result whose call cannot be found (no function name)", () => {
    const error = unsupported(() =>
      build({ messages: [user("x"), { role: "tool", tool_call_id: "call_zz", content: "1" }] }),
    );
    expect(error.param).toBe("messages[1].tool_call_id");
    expect(error.message).toContain("call_zz");
  });
});

describe("google chat request: generationConfig", () => {
  it("omits generationConfig when nothing is set", () => {
    expect(build({ messages: [user("x")] }).json.generationConfig).toBeUndefined();
  });

  it("maps sampling, limits, stop, seed, n and penalties", () => {
    const { json } = build({
      messages: [user("x")],
      temperature: 0.2,
      top_p: 0.9,
      max_tokens: 100,
      max_completion_tokens: 256,
      stop: "END",
      seed: 7,
      n: 3,
      presence_penalty: 0.5,
      frequency_penalty: -0.5,
    });
    expect(json.generationConfig).toEqual({
      temperature: 0.2,
      topP: 0.9,
      maxOutputTokens: 256,
      stopSequences: ["END"],
      seed: 7,
      candidateCount: 3,
      presencePenalty: 0.5,
      frequencyPenalty: -0.5,
    });
  });

  it("uses max_tokens when max_completion_tokens is absent and keeps stop arrays", () => {
    const { json } = build({ messages: [user("x")], max_tokens: 50, stop: ["a", "b"], temperature: 0 });
    expect(json.generationConfig).toEqual({ maxOutputTokens: 50, stopSequences: ["a", "b"], temperature: 0 });
  });

  it("asks for JSON for json_object and passes a json_schema through as responseJsonSchema", () => {
    expect(build({ messages: [user("x")], response_format: { type: "json_object" } }).json.generationConfig).toEqual({
      responseMimeType: "application/json",
    });
    const schema = {
      type: "object",
      properties: { a: { type: "string" } },
      additionalProperties: false,
      required: ["a"],
    };
    const { json } = build({
      messages: [user("x")],
      response_format: { type: "json_schema", json_schema: { name: "thing", strict: true, schema } },
    });
    expect(json.generationConfig).toEqual({ responseMimeType: "application/json", responseJsonSchema: schema });
    expect(build({ messages: [user("x")], response_format: { type: "text" } }).json.generationConfig).toBeUndefined();
  });

  it.each([
    ["minimal", { thinkingBudget: 0 }],
    ["low", { thinkingBudget: 1024, includeThoughts: true }],
    ["medium", { thinkingBudget: 8192, includeThoughts: true }],
    ["high", { thinkingBudget: 24576, includeThoughts: true }],
  ])("maps reasoning_effort %s to a thinking budget", (effort, thinkingConfig) => {
    expect(build({ messages: [user("x")], reasoning_effort: effort }).json.generationConfig).toEqual({
      thinkingConfig,
    });
  });
});
