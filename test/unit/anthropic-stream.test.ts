import { describe, expect, it } from "vitest";
import { AnthropicStreamError, anthropicAdapter } from "../../providers/anthropic";
import { createSseParser, parseSseText, type SseEvent } from "../../providers/shared/sse";
import { IncompleteStreamError, MalformedUpstreamError, type ResponseContext } from "../../providers/types";
import type { ChatCompletionChunk, ChunkDelta, FinishReason, Usage } from "../../schema/openai-response";
import {
  cutStream,
  jsonToolStream,
  overloadedStream,
  parallelToolStream,
  serverToolStream,
  stopReasonStream,
  textStream,
  thinkingStream,
} from "../fixtures/anthropic/streams";

const ctx: ResponseContext = { model: "claude-sonnet-4-5", fallbackId: "chatcmpl-fallback", created: 1_750_000_000 };
const UPSTREAM_MODEL = "claude-sonnet-4-5-20250929";

function run(text: string): ChatCompletionChunk[] {
  const mapper = anthropicAdapter.chat.createStreamMapper(ctx);
  const chunks = parseSseText(text).flatMap((event) => mapper.onEvent(event));
  return [...chunks, ...mapper.end()];
}

const chunk = (id: string, delta: ChunkDelta, finishReason: FinishReason | null = null): ChatCompletionChunk => ({
  id,
  object: "chat.completion.chunk",
  created: ctx.created,
  model: UPSTREAM_MODEL,
  choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
});

const usageChunk = (id: string, usage: Usage): ChatCompletionChunk => ({
  id,
  object: "chat.completion.chunk",
  created: ctx.created,
  model: UPSTREAM_MODEL,
  choices: [],
  usage,
});

describe("anthropic stream", () => {
  it("maps a text stream to role, content, finish and usage chunks", () => {
    const id = "msg_01TextStream";
    expect(run(textStream)).toEqual([
      chunk(id, { role: "assistant", content: "" }),
      chunk(id, { content: "Hello" }),
      chunk(id, { content: "! How can I help?" }),
      chunk(id, {}, "stop"),
      usageChunk(id, {
        prompt_tokens: 25,
        completion_tokens: 15,
        total_tokens: 40,
        prompt_tokens_details: { cached_tokens: 0 },
      }),
    ]);
  });

  it("maps parallel tool calls with stable indices counted from 0, and cumulative usage with cache tokens", () => {
    const id = "msg_014p7gG3wDgGV9EUtLvnow3U";
    expect(run(parallelToolStream)).toEqual([
      chunk(id, { role: "assistant", content: "" }),
      chunk(id, { content: "Checking both cities." }),
      chunk(id, {
        tool_calls: [
          {
            index: 0,
            id: "toolu_01T1x1fJ34qAmk2tNTrN7Up6",
            type: "function",
            function: { name: "get_weather", arguments: "" },
          },
        ],
      }),
      chunk(id, { tool_calls: [{ index: 0, function: { arguments: '{"location": "San Fra' } }] }),
      chunk(id, { tool_calls: [{ index: 0, function: { arguments: 'ncisco, CA"}' } }] }),
      chunk(id, {
        tool_calls: [
          {
            index: 1,
            id: "toolu_02U2y2gK45rBnl3uOUsO8Vq7",
            type: "function",
            function: { name: "get_time", arguments: "" },
          },
        ],
      }),
      chunk(id, { tool_calls: [{ index: 1, function: { arguments: '{"timezone": "America/New_York"}' } }] }),
      chunk(id, {}, "tool_calls"),
      usageChunk(id, {
        prompt_tokens: 472 + 2000 + 100,
        completion_tokens: 89,
        total_tokens: 472 + 2000 + 100 + 89,
        prompt_tokens_details: { cached_tokens: 2000 },
        cache_creation_input_tokens: 100,
      }),
    ]);
  });

  it("maps thinking deltas to reasoning_content and drops signatures", () => {
    const id = "msg_01ThinkingStream";
    expect(run(thinkingStream)).toEqual([
      chunk(id, { role: "assistant", content: "" }),
      chunk(id, { reasoning_content: "27 * 453: 27 * 400 = 10800, " }),
      chunk(id, { reasoning_content: "27 * 53 = 1431; total 12231." }),
      chunk(id, { content: "27 × 453 = 12,231" }),
      chunk(id, {}, "stop"),
      usageChunk(id, {
        prompt_tokens: 46,
        completion_tokens: 312,
        total_tokens: 358,
        prompt_tokens_details: { cached_tokens: 0 },
      }),
    ]);
  });

  it("streams the json_schema emulation tool's input as content, finishing with stop", () => {
    const id = "msg_01JsonStream";
    const chunks = run(jsonToolStream);
    expect(chunks).toEqual([
      chunk(id, { role: "assistant", content: "" }),
      chunk(id, { content: '{"city": "Par' }),
      chunk(id, { content: 'is", "temperature_c": 18}' }),
      chunk(id, {}, "stop"),
      usageChunk(id, {
        prompt_tokens: 380,
        completion_tokens: 27,
        total_tokens: 407,
        prompt_tokens_details: { cached_tokens: 0 },
      }),
    ]);
    const content = chunks.map((c) => c.choices[0]?.delta.content ?? "").join("");
    expect(JSON.parse(content)).toEqual({ city: "Paris", temperature_c: 18 });
  });

  it("skips server tool blocks, their input deltas and citations", () => {
    const id = "msg_01ServerTool";
    expect(run(serverToolStream)).toEqual([
      chunk(id, { role: "assistant", content: "" }),
      chunk(id, { content: "Sunny in New York." }),
      chunk(id, {}, "stop"),
      usageChunk(id, {
        prompt_tokens: 2679,
        completion_tokens: 510,
        total_tokens: 3189,
        prompt_tokens_details: { cached_tokens: 0 },
      }),
    ]);
  });

  it.each([
    ["end_turn", "stop"],
    ["stop_sequence", "stop"],
    ["max_tokens", "length"],
    ["tool_use", "stop"],
    ["refusal", "content_filter"],
    ["pause_turn", "stop"],
  ] as const)("maps stop_reason %s to finish_reason %s", (stopReason, finishReason) => {
    const chunks = run(stopReasonStream(stopReason, stopReason === "stop_sequence" ? "END" : null));
    const finish = chunks.filter((c) => c.choices[0]?.finish_reason != null);
    expect(finish).toHaveLength(1);
    expect(finish[0]?.choices[0]?.finish_reason).toBe(finishReason);
    // The finish chunk is second to last; the usage chunk closes the stream.
    expect(chunks.at(-2)).toBe(finish[0]);
    expect(chunks.at(-1)?.usage).toEqual({
      prompt_tokens: 10,
      completion_tokens: 3,
      total_tokens: 13,
      prompt_tokens_details: { cached_tokens: 0 },
    });
  });

  it("throws AnthropicStreamError with Anthropic's status on an error event", () => {
    const mapper = anthropicAdapter.chat.createStreamMapper(ctx);
    const events = parseSseText(overloadedStream);
    const errorEvent = events.pop() as SseEvent;
    expect(events.flatMap((event) => mapper.onEvent(event)).map((c) => c.choices[0]?.delta)).toEqual([
      { role: "assistant", content: "" },
      { content: "Partial" },
    ]);
    let caught: unknown;
    try {
      mapper.onEvent(errorEvent);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AnthropicStreamError);
    expect(caught).toMatchObject({ message: "Overloaded", type: "overloaded_error", status: 529 });
  });

  it.each([
    ["invalid_request_error", 400],
    ["rate_limit_error", 429],
    ["api_error", 500],
    ["something_new", 502],
  ])("gives %s stream errors status %i", (type, status) => {
    const mapper = anthropicAdapter.chat.createStreamMapper(ctx);
    const error = () =>
      mapper.onEvent({ event: "error", data: JSON.stringify({ type: "error", error: { type, message: "m" } }) });
    expect(error).toThrow(expect.objectContaining({ status, type }) as Error);
  });

  it("makes end() throw IncompleteStreamError when message_stop never came", () => {
    const mapper = anthropicAdapter.chat.createStreamMapper(ctx);
    const chunks = parseSseText(cutStream).flatMap((event) => mapper.onEvent(event));
    expect(chunks.map((c) => c.choices[0]?.delta)).toEqual([{ role: "assistant", content: "" }, { content: "Hello" }]);
    expect(() => mapper.end()).toThrow(IncompleteStreamError);
  });

  it("makes end() throw for an empty body", () => {
    expect(() => anthropicAdapter.chat.createStreamMapper(ctx).end()).toThrow(IncompleteStreamError);
  });

  it("rejects malformed events as MalformedUpstreamError", () => {
    const fresh = () => anthropicAdapter.chat.createStreamMapper(ctx);
    expect(() => fresh().onEvent({ event: "message_start", data: "{not json" })).toThrow(MalformedUpstreamError);
    expect(() => fresh().onEvent({ event: "message_start", data: '{"type":"message_start","message":{}}' })).toThrow(
      MalformedUpstreamError,
    );
    const delta = '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"}}';
    expect(() => fresh().onEvent({ event: "content_block_delta", data: delta })).toThrow(/before message_start/);
    const started = fresh();
    started.onEvent(parseSseText(textStream)[0] as SseEvent);
    expect(() =>
      started.onEvent({ data: '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta"}}' }),
    ).toThrow(MalformedUpstreamError);
  });

  it("ignores event types Anthropic may add and anything after message_stop", () => {
    const mapper = anthropicAdapter.chat.createStreamMapper(ctx);
    const events = parseSseText(textStream);
    const chunks: ChatCompletionChunk[] = [];
    for (const event of events) {
      chunks.push(...mapper.onEvent(event));
      chunks.push(...mapper.onEvent({ event: "future_event", data: '{"type":"future_event","x":1}' }));
    }
    chunks.push(...mapper.onEvent({ event: "ping", data: '{"type": "ping"}' }));
    chunks.push(...mapper.end());
    expect(chunks).toEqual(run(textStream));
  });

  it("gives the same chunks when the body arrives split at every byte", async () => {
    const bytes = new TextEncoder().encode(parallelToolStream.replaceAll("\n", "\r\n"));
    const source = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i++) controller.enqueue(bytes.slice(i, i + 1));
        controller.close();
      },
    });
    const mapper = anthropicAdapter.chat.createStreamMapper(ctx);
    const chunks: ChatCompletionChunk[] = [];
    const reader = source.pipeThrough(createSseParser()).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(...mapper.onEvent(value));
    }
    chunks.push(...mapper.end());
    expect(chunks).toEqual(run(parallelToolStream));
  });
});
