import { describe, expect, it } from "vitest";
import { toConverseBody } from "../../providers/bedrock/request";
import { parseBedrockResponse } from "../../providers/bedrock/response";
import { createBedrockStreamMapper } from "../../providers/bedrock/stream";
import { UnsupportedParameterError, type ResponseContext } from "../../providers/types";
import type { ChatCompletionRequest } from "../../schema/openai-request";
import type { ChatCompletionChunk } from "../../schema/openai-response";
import { bedrockEvent, concatBytes } from "../fixtures/bedrock/event-stream-encoder";

/** response_format json_schema on Bedrock: a forced tool whose input becomes the content (as on Anthropic). */

const CLAUDE = "anthropic.claude-3-5-sonnet-20241022-v2:0";
const SCHEMA = {
  type: "object",
  properties: { city: { type: "string" }, temperature_c: { type: "number" } },
  required: ["city", "temperature_c"],
};
const JSON_TOOL_SPEC = {
  toolSpec: {
    name: "json_response__weather_report",
    description:
      "Give your final answer by calling this tool; its input is the answer, as JSON matching the schema.\n\nToday's weather.",
    inputSchema: { json: SCHEMA },
  },
};

const ask = (extra: Partial<ChatCompletionRequest> = {}): ChatCompletionRequest => ({
  model: CLAUDE,
  messages: [{ role: "user", content: "Weather in Paris?" }],
  response_format: {
    type: "json_schema",
    json_schema: { name: "weather.report", description: "Today's weather.", schema: SCHEMA, strict: true },
  },
  ...extra,
});

const ctx: ResponseContext = { model: CLAUDE, fallbackId: "chatcmpl-json", created: 1_700_000_000 };
const WEATHER_TOOL = {
  type: "function" as const,
  function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } },
};

describe("json_schema -> Converse request", () => {
  it("adds the schema as a tool and forces it", () => {
    expect(toConverseBody(ask()).toolConfig).toEqual({
      tools: [JSON_TOOL_SPEC],
      toolChoice: { tool: { name: "json_response__weather_report" } },
    });
  });

  it("with client tools: any (a client tool or the answer); a named client tool stays forced", () => {
    const auto = toConverseBody(ask({ tools: [WEATHER_TOOL] })).toolConfig;
    expect(auto?.tools.map((tool) => ("toolSpec" in tool ? tool.toolSpec.name : "cachePoint"))).toEqual([
      "get_weather",
      "json_response__weather_report",
    ]);
    expect(auto?.toolChoice).toEqual({ any: {} });
    const named = toConverseBody(
      ask({ tools: [WEATHER_TOOL], tool_choice: { type: "function", function: { name: "get_weather" } } }),
    );
    expect(named.toolConfig?.toolChoice).toEqual({ tool: { name: "get_weather" } });
    const none = toConverseBody(ask({ tools: [WEATHER_TOOL], tool_choice: "none" }));
    expect(none.toolConfig?.toolChoice).toEqual({ tool: { name: "json_response__weather_report" } });
  });

  it("with Claude's extended thinking the tool is asked for in the system prompt, not forced", () => {
    const body = toConverseBody(ask({ reasoning_effort: "low", max_tokens: 4000 }));
    expect(body.toolConfig?.toolChoice).toEqual({ auto: {} });
    expect(body.system).toEqual([
      {
        text: 'When you have your final answer, call the tool "json_response__weather_report" with the answer as its input. Do not answer in plain text.',
      },
    ]);
  });

  it("refuses a non-object root schema and client tools that use the reserved prefix (400 naming the field)", () => {
    const arrayRoot = ask({
      response_format: { type: "json_schema", json_schema: { name: "list", schema: { type: "array" } } },
    });
    expect(() => toConverseBody(arrayRoot)).toThrow(UnsupportedParameterError);
    const reserved = { ...WEATHER_TOOL, function: { ...WEATHER_TOOL.function, name: "json_response__x" } };
    try {
      toConverseBody(ask({ tools: [reserved] }));
      expect.unreachable("a reserved tool name must be refused");
    } catch (error) {
      expect(error).toBeInstanceOf(UnsupportedParameterError);
      expect((error as UnsupportedParameterError).param).toBe("tools[0].function.name");
    }
  });

  it("json_object is a system instruction, with no tool", () => {
    const body = toConverseBody(ask({ response_format: { type: "json_object" } }));
    expect(body.toolConfig).toBeUndefined();
    expect(body.system?.[0]).toEqual({ text: expect.stringContaining("single valid JSON object") });
  });
});

describe("the emulation tool's input -> content", () => {
  it("Converse: the tool's input is the content, finish_reason stop, no tool_calls", () => {
    const answer = parseBedrockResponse(
      {
        output: {
          message: {
            role: "assistant",
            content: [
              { text: "Here is the report." },
              {
                toolUse: {
                  toolUseId: "tooluse_json",
                  name: "json_response__weather_report",
                  input: { city: "Paris", temperature_c: 18 },
                },
              },
            ],
          },
        },
        stopReason: "tool_use",
        usage: { inputTokens: 380, outputTokens: 27, totalTokens: 407 },
        metrics: { latencyMs: 900 },
      },
      ctx,
    );
    expect(answer.choices[0]).toMatchObject({
      message: { role: "assistant", content: '{"city":"Paris","temperature_c":18}' },
      finish_reason: "stop",
    });
    expect(answer.choices[0]?.message).not.toHaveProperty("tool_calls");
  });

  it("ConverseStream: the tool's input deltas are content deltas, split at every byte", () => {
    const bytes = concatBytes([
      bedrockEvent("messageStart", { role: "assistant" }),
      bedrockEvent("contentBlockStart", {
        contentBlockIndex: 0,
        start: { toolUse: { toolUseId: "tooluse_json", name: "json_response__weather_report" } },
      }),
      bedrockEvent("contentBlockDelta", { contentBlockIndex: 0, delta: { toolUse: { input: '{"city": "Par' } } }),
      bedrockEvent("contentBlockDelta", {
        contentBlockIndex: 0,
        delta: { toolUse: { input: 'is", "temperature_c": 18}' } },
      }),
      bedrockEvent("contentBlockStop", { contentBlockIndex: 0 }),
      bedrockEvent("messageStop", { stopReason: "tool_use" }),
    ]);
    const mapper = createBedrockStreamMapper(ctx);
    const chunks: ChatCompletionChunk[] = [];
    const decoder = mapper.createDecoder?.((out) => chunks.push(...out));
    if (!decoder) throw new Error("the Bedrock mapper must bring its own decoder");
    for (let at = 0; at < bytes.length; at++) decoder.push(bytes.slice(at, at + 1));
    decoder.end();
    chunks.push(...mapper.end());
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join("")).toBe(
      '{"city": "Paris", "temperature_c": 18}',
    );
    expect(chunks.some((chunk) => chunk.choices[0]?.delta.tool_calls !== undefined)).toBe(false);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe("stop");
  });
});
