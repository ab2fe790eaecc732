import { describe, expect, it } from "vitest";
import { parseSseText } from "../../providers/shared/sse";
import { assembleStream } from "../../src/cache/assemble";
import { replayStream } from "../../src/cache/replay";

const head = {
  id: "chatcmpl-r",
  object: "chat.completion.chunk",
  created: 1_700_000_000,
  model: "gpt-4o-mini",
  system_fingerprint: "fp",
};
const chunk = (delta: object, finish: string | null = null, index = 0) => ({
  ...head,
  choices: [{ index, delta, logprobs: null, finish_reason: finish }],
});
const usage = { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 };
const sseOf = (items: unknown[], done = true) =>
  items.map((item) => `data: ${JSON.stringify(item)}\n\n`).join("") + (done ? "data: [DONE]\n\n" : "");

const toolStream = [
  chunk({
    role: "assistant",
    content: null,
    tool_calls: [{ index: 0, id: "call_1", type: "function", function: { name: "get_weather", arguments: "" } }],
  }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
  chunk({
    tool_calls: [{ index: 1, id: "call_2", type: "function", function: { name: "get_time", arguments: "{}" } }],
  }),
  chunk({}, "tool_calls"),
  { ...head, choices: [], usage },
];

const textStream = [
  chunk({ role: "assistant", content: "", refusal: null }),
  chunk({ reasoning_content: "Think" }),
  chunk({ reasoning_content: "ing." }),
  chunk({ content: "Hé" }),
  chunk({ content: "llo 🌍" }),
  chunk({}, "stop"),
];

describe("assembling a streamed answer", () => {
  it("joins content, reasoning, tool call arguments and keeps usage", () => {
    const tools = assembleStream("chat", parseSseText(sseOf(toolStream)));
    expect(tools?.body).toEqual({
      id: "chatcmpl-r",
      object: "chat.completion",
      created: 1_700_000_000,
      model: "gpt-4o-mini",
      system_fingerprint: "fp",
      usage,
      choices: [
        {
          index: 0,
          logprobs: null,
          finish_reason: "tool_calls",
          message: {
            role: "assistant",
            content: null,
            tool_calls: [
              { id: "call_1", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
              { id: "call_2", type: "function", function: { name: "get_time", arguments: "{}" } },
            ],
          },
        },
      ],
    });
    const text = assembleStream("chat", parseSseText(sseOf(textStream)));
    expect(text?.body.choices).toEqual([
      {
        index: 0,
        logprobs: null,
        finish_reason: "stop",
        message: { role: "assistant", content: "Héllo 🌍", refusal: null, reasoning_content: "Thinking." },
      },
    ]);
  });

  it("refuses a stream without [DONE], with an error event, or with an unfinished choice", () => {
    expect(assembleStream("chat", parseSseText(sseOf(textStream, false)))).toBeNull();
    const withError = sseOf([
      ...textStream.slice(0, 3),
      { error: { message: "boom", type: "api_error", param: null, code: null } },
    ]);
    expect(assembleStream("chat", parseSseText(withError))).toBeNull();
    expect(assembleStream("chat", parseSseText(sseOf(textStream.slice(0, -1))))).toBeNull();
    expect(assembleStream("chat", parseSseText("data: [DONE]\n\n"))).toBeNull();
  });
});

describe("replaying a stored answer as SSE", () => {
  const stored = assembleStream("chat", parseSseText(sseOf(toolStream)))?.body;

  it("frames every chunk exactly as OpenAI does and ends with [DONE]", () => {
    const text = replayStream("chat", stored, { includeUsage: false, usage });
    expect(text).not.toBeNull();
    const frames = (text ?? "").split("\n\n");
    expect(frames.pop()).toBe("");
    for (const frame of frames) expect(frame).toMatch(/^data: /);
    expect(frames.at(-1)).toBe("data: [DONE]");
    const chunks = frames.slice(0, -1).map((frame) => JSON.parse(frame.slice(6)));
    for (const c of chunks) {
      expect(c).toMatchObject({
        id: "chatcmpl-r",
        object: "chat.completion.chunk",
        created: 1_700_000_000,
        model: "gpt-4o-mini",
        system_fingerprint: "fp",
      });
      expect(c).not.toHaveProperty("usage");
      expect(c.choices).toHaveLength(1);
    }
    expect(chunks.map((c) => c.choices[0].delta)).toEqual([
      { role: "assistant", content: null },
      {
        tool_calls: [
          {
            index: 0,
            id: "call_1",
            type: "function",
            function: { name: "get_weather", arguments: '{"city":"Paris"}' },
          },
        ],
      },
      { tool_calls: [{ index: 1, id: "call_2", type: "function", function: { name: "get_time", arguments: "{}" } }] },
      {},
    ]);
    expect(chunks.map((c) => c.choices[0].finish_reason)).toEqual([null, null, null, "tool_calls"]);
  });

  it("adds the usage chunk (and usage: null elsewhere) only when include_usage was asked", () => {
    const chunks = parseSseText(replayStream("chat", stored, { includeUsage: true, usage }) ?? "")
      .filter((e) => e.data !== "[DONE]")
      .map((e) => JSON.parse(e.data));
    expect(chunks.at(-1)).toEqual({ ...head, choices: [], usage });
    for (const c of chunks.slice(0, -1)) expect(c.usage).toBeNull();
  });

  it("re-assembles to the stored answer (round trip)", () => {
    for (const source of [toolStream, textStream]) {
      const body = assembleStream("chat", parseSseText(sseOf(source)))?.body;
      const replayed = replayStream("chat", body, { includeUsage: true, usage });
      const again = assembleStream("chat", parseSseText(replayed ?? ""))?.body;
      expect(again?.choices).toEqual(body?.choices);
    }
  });

  it("replays legacy completions", () => {
    const body = {
      id: "cmpl-1",
      object: "text_completion",
      created: 1,
      model: "gpt-3.5-turbo-instruct",
      choices: [{ index: 0, text: "Hi there", finish_reason: "length", logprobs: null }],
    };
    const events = parseSseText(replayStream("completions", body, { includeUsage: false, usage }) ?? "");
    expect(events.map((e) => e.data).at(-1)).toBe("[DONE]");
    expect(assembleStream("completions", events)?.body).toEqual(body);
  });

  it("refuses a body it cannot replay", () => {
    expect(replayStream("chat", { choices: "nope" }, { includeUsage: false, usage: null })).toBeNull();
  });
});
