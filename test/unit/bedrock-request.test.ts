import { describe, expect, it } from "vitest";
import { toInvokeBody } from "../../providers/bedrock/embeddings";
import { toConverseBody } from "../../providers/bedrock/request";
import { bedrockUrl, modelVendor } from "../../providers/bedrock/urls";
import { UnsupportedParameterError } from "../../providers/types";
import type { ChatCompletionRequest } from "../../schema/openai-request";

const CLAUDE = "anthropic.claude-3-5-sonnet-20241022-v2:0";
const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

describe("OpenAI chat -> Converse request", () => {
  it("maps system, user text and images, assistant tool calls, tool results and inference config", () => {
    const body: ChatCompletionRequest = {
      model: CLAUDE,
      messages: [
        { role: "system", content: "Be brief." },
        {
          role: "user",
          content: [
            { type: "text", text: "What is in this image, and the weather?" },
            { type: "image_url", image_url: { url: `data:image/png;base64,${PNG}` } },
          ],
        },
        {
          role: "assistant",
          content: "Let me check.",
          tool_calls: [
            { id: "tooluse_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
            { id: "tooluse_2", type: "function", function: { name: "get_time", arguments: "" } },
          ],
        },
        { role: "tool", tool_call_id: "tooluse_1", content: "18C, sunny" },
        { role: "tool", tool_call_id: "tooluse_2", content: "" },
        { role: "developer", content: [{ type: "text", text: "Answer in French." }] },
      ],
      max_completion_tokens: 300,
      temperature: 1.5,
      top_p: 0.9,
      stop: ["END"],
      tools: [
        {
          type: "function",
          function: {
            name: "get_weather",
            description: "Weather by city",
            parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
          },
        },
        { type: "function", function: { name: "get_time" } },
      ],
      tool_choice: "required",
    };
    expect(toConverseBody(body)).toEqual({
      system: [{ text: "Be brief." }, { text: "Answer in French." }],
      messages: [
        {
          role: "user",
          content: [
            { text: "What is in this image, and the weather?" },
            { image: { format: "png", source: { bytes: PNG } } },
          ],
        },
        {
          role: "assistant",
          content: [
            { text: "Let me check." },
            { toolUse: { toolUseId: "tooluse_1", name: "get_weather", input: { city: "Paris" } } },
            { toolUse: { toolUseId: "tooluse_2", name: "get_time", input: {} } },
          ],
        },
        // Both results answer one assistant turn: one user message (Converse requires alternating roles).
        {
          role: "user",
          content: [
            { toolResult: { toolUseId: "tooluse_1", content: [{ text: "18C, sunny" }] } },
            { toolResult: { toolUseId: "tooluse_2", content: [{ json: {} }] } },
          ],
        },
      ],
      inferenceConfig: { maxTokens: 300, temperature: 1, topP: 0.9, stopSequences: ["END"] },
      toolConfig: {
        tools: [
          {
            toolSpec: {
              name: "get_weather",
              description: "Weather by city",
              inputSchema: { json: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } },
            },
          },
          { toolSpec: { name: "get_time", inputSchema: { json: { type: "object", properties: {} } } } },
        ],
        toolChoice: { any: {} },
      },
    });
  });

  it("maps tool_choice auto and a named function; none leaves the tools out", () => {
    const base: ChatCompletionRequest = {
      model: CLAUDE,
      messages: [{ role: "user", content: "hi" }],
      tools: [{ type: "function", function: { name: "f" } }],
    };
    expect(toConverseBody({ ...base, tool_choice: "auto" }).toolConfig?.toolChoice).toEqual({ auto: {} });
    expect(
      toConverseBody({ ...base, tool_choice: { type: "function", function: { name: "f" } } }).toolConfig?.toolChoice,
    ).toEqual({ tool: { name: "f" } });
    expect(toConverseBody(base).toolConfig).toEqual({
      tools: [{ toolSpec: { name: "f", inputSchema: { json: { type: "object", properties: {} } } } }],
    });
    expect(toConverseBody({ ...base, tool_choice: "none" }).toolConfig).toBeUndefined();
  });

  it("turns cache_control into cachePoint blocks after the part", () => {
    const body: ChatCompletionRequest = {
      model: CLAUDE,
      messages: [
        {
          role: "system",
          content: [{ type: "text", text: "Long instructions", cache_control: { type: "ephemeral" } }],
        },
        { role: "user", content: [{ type: "text", text: "Q", cache_control: { type: "ephemeral" } }] },
      ],
    };
    const converse = toConverseBody(body);
    expect(converse.system).toEqual([{ text: "Long instructions" }, { cachePoint: { type: "default" } }]);
    expect(converse.messages).toEqual([
      { role: "user", content: [{ text: "Q" }, { cachePoint: { type: "default" } }] },
    ]);
  });

  it("asks Claude for thinking through additionalModelRequestFields, with top_k, dropping temperature", () => {
    const body = {
      model: `us.${CLAUDE}`,
      messages: [{ role: "user" as const, content: "Think." }],
      reasoning_effort: "medium" as const,
      temperature: 0.3,
      top_k: 40,
    };
    expect(toConverseBody(body)).toEqual({
      messages: [{ role: "user", content: [{ text: "Think." }] }],
      inferenceConfig: { maxTokens: 4096 + 4096 },
      additionalModelRequestFields: { top_k: 40, thinking: { type: "enabled", budget_tokens: 4096 } },
    });
  });

  it("puts Nova's top_k in its own inferenceConfig and ignores reasoning_effort for non-Claude models", () => {
    const body = {
      model: "amazon.nova-pro-v1:0",
      messages: [{ role: "user" as const, content: "x" }],
      top_k: 20,
      reasoning_effort: "high" as const,
    };
    expect(toConverseBody(body)).toEqual({
      messages: [{ role: "user", content: [{ text: "x" }] }],
      additionalModelRequestFields: { inferenceConfig: { topK: 20 } },
    });
  });

  it("refuses what Converse cannot do, naming the field", () => {
    const base = { model: CLAUDE, messages: [{ role: "user" as const, content: "x" }] };
    const refused = (body: ChatCompletionRequest, param: string) => {
      try {
        toConverseBody(body);
      } catch (error) {
        expect(error).toBeInstanceOf(UnsupportedParameterError);
        expect((error as UnsupportedParameterError).param).toBe(param);
        return;
      }
      throw new Error("not refused");
    };
    refused({ ...base, n: 2 }, "n");
    refused(
      {
        ...base,
        messages: [
          { role: "user", content: [{ type: "image_url", image_url: { url: "https://example.com/cat.png" } }] },
        ],
      },
      "messages[0].content[0].image_url.url",
    );
    refused(
      {
        ...base,
        messages: [
          { role: "user", content: [{ type: "image_url", image_url: { url: "data:image/bmp;base64,Qk0=" } }] },
        ],
      },
      "messages[0].content[0].image_url.url",
    );
    refused(
      {
        ...base,
        messages: [
          {
            role: "assistant",
            content: null,
            tool_calls: [{ id: "t", type: "function", function: { name: "f", arguments: "{bad" } }],
          },
        ],
      },
      "messages[0].tool_calls[0].function.arguments",
    );
    refused({ ...base, top_k: 0 }, "top_k");
  });
});

describe("Bedrock URLs and model ids", () => {
  const target = { provider: "bedrock" as const, aws: { region: "ap-northeast-1" } };

  it("encodes ids with ':' and ARNs as one path segment", () => {
    expect(bedrockUrl(target, "apac.anthropic.claude-3-5-sonnet-20240620-v1:0", "converse")).toBe(
      "https://bedrock-runtime.ap-northeast-1.amazonaws.com/model/apac.anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse",
    );
    expect(
      bedrockUrl(
        target,
        "arn:aws:bedrock:ap-northeast-1:123456789012:application-inference-profile/a1b2c3d4e5",
        "converse-stream",
      ),
    ).toBe(
      "https://bedrock-runtime.ap-northeast-1.amazonaws.com/model/arn%3Aaws%3Abedrock%3Aap-northeast-1%3A123456789012%3Aapplication-inference-profile%2Fa1b2c3d4e5/converse-stream",
    );
    expect(
      bedrockUrl({ ...target, customHost: "http://127.0.0.1:9999/bedrock" }, "amazon.titan-embed-text-v2:0", "invoke"),
    ).toBe("http://127.0.0.1:9999/bedrock/model/amazon.titan-embed-text-v2%3A0/invoke");
  });

  it("refuses model ids and regions that could change the URL", () => {
    for (const model of ["../../x", "a/b", "anthropic.claude?x=1", "a b", "", ".hidden", "arn:aws:s3:::bucket/key"]) {
      expect(() => bedrockUrl(target, model, "converse"), model).toThrow(UnsupportedParameterError);
    }
    for (const region of ["us-east-1.evil.com", "us-east-1/", "US-EAST-1", "x"]) {
      expect(() => bedrockUrl({ provider: "bedrock", aws: { region } }, CLAUDE, "converse"), region).toThrow(
        /aws_region/,
      );
    }
  });

  it("finds the vendor behind ids, profiles and ARNs", () => {
    expect(modelVendor(CLAUDE)).toBe("anthropic");
    expect(modelVendor(`global.${CLAUDE}`)).toBe("anthropic");
    expect(modelVendor(`arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.${CLAUDE}`)).toBe("anthropic");
    expect(modelVendor("arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123")).toBe("");
  });
});

describe("embeddings -> InvokeModel bodies", () => {
  it("Titan v2: inputText and dimensions, one text", () => {
    expect(toInvokeBody({ model: "amazon.titan-embed-text-v2:0", input: "hello", dimensions: 256 })).toEqual({
      inputText: "hello",
      dimensions: 256,
    });
    expect(toInvokeBody({ model: "amazon.titan-embed-text-v2:0", input: ["only one"] })).toEqual({
      inputText: "only one",
    });
    expect(() => toInvokeBody({ model: "amazon.titan-embed-text-v2:0", input: ["a", "b"] })).toThrow(
      /one text per request/,
    );
    expect(() => toInvokeBody({ model: "amazon.titan-embed-text-v1", input: "a", dimensions: 256 })).toThrow(
      /titan-embed-text-v2/,
    );
  });

  it("Cohere: texts and input_type (search_document by default)", () => {
    expect(toInvokeBody({ model: "cohere.embed-english-v3", input: ["a", "b"] })).toEqual({
      texts: ["a", "b"],
      input_type: "search_document",
    });
    expect(toInvokeBody({ model: "cohere.embed-multilingual-v3", input: "q", input_type: "search_query" })).toEqual({
      texts: ["q"],
      input_type: "search_query",
    });
    expect(() => toInvokeBody({ model: "cohere.embed-english-v3", input: "q", input_type: "nope" })).toThrow(
      /input_type/,
    );
    expect(() => toInvokeBody({ model: "meta.llama3-8b-instruct-v1:0", input: "q" })).toThrow(/Titan/);
  });
});
