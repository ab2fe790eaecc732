import { describe, expect, it } from "vitest";
import { GoogleStreamError, googleAdapter } from "../../providers/google";
import { createSseParser, parseSseText, type SseEvent } from "../../providers/shared/sse";
import { IncompleteStreamError, MalformedUpstreamError, type ResponseContext } from "../../providers/types";
import type { ChatCompletionChunk, ChunkDelta, FinishReason, Usage } from "../../schema/openai-response";
import {
  blockedStream,
  cutStream,
  errorStream,
  textStream,
  thinkingStream,
  toolStream,
  twoCandidateStream,
} from "../fixtures/google/streams";

const ctx: ResponseContext = { model: "requested-model", fallbackId: "chatcmpl-fallback", created: 1_760_000_000 };

/** Feed every event, then end(), as the pipeline does. */
function run(events: SseEvent[]): ChatCompletionChunk[] {
  const mapper = googleAdapter.chat.createStreamMapper(ctx);
  return [...events.flatMap((event) => mapper.onEvent(event)), ...mapper.end()];
}

function expectedChunk(
  id: string,
  model: string,
  delta: ChunkDelta,
  finish: FinishReason | null = null,
  index = 0,
): ChatCompletionChunk {
  return {
    id,
    object: "chat.completion.chunk",
    created: 1_760_000_000,
    model,
    choices: [{ index, delta, finish_reason: finish, logprobs: null }],
  };
}

function expectedUsage(id: string, model: string, usage: Usage): ChatCompletionChunk {
  return { id, object: "chat.completion.chunk", created: 1_760_000_000, model, choices: [], usage };
}

describe("google stream mapper", () => {
  it("maps a text stream to role, content, finish and usage chunks", () => {
    const events = parseSseText(textStream);
    expect(events).toHaveLength(3);
    const id = "q_ZSaZ3pA8q0z7IP2aLV8Qc";
    const model = "gemini-2.5-flash";
    expect(run(events)).toEqual([
      expectedChunk(id, model, { role: "assistant", content: "The sky" }),
      expectedChunk(id, model, { content: " is blue because of Rayleigh" }),
      expectedChunk(id, model, { content: " scattering." }),
      expectedChunk(id, model, {}, "stop"),
      expectedUsage(id, model, {
        prompt_tokens: 9,
        completion_tokens: 36,
        total_tokens: 45,
        prompt_tokens_details: { cached_tokens: 4 },
        completion_tokens_details: { reasoning_tokens: 24 },
      }),
    ]);
  });

  it("sends thought parts as reasoning_content and skips empty text", () => {
    const id = "Lw5TaYb7EOrKz7IPi8nq0QI";
    const model = "gemini-2.5-pro";
    expect(run(parseSseText(thinkingStream))).toEqual([
      expectedChunk(id, model, { role: "assistant", reasoning_content: "**Adding numbers**\n\nTwo plus two is four." }),
      expectedChunk(id, model, { content: "4" }),
      expectedChunk(id, model, {}, "stop"),
      expectedUsage(id, model, {
        prompt_tokens: 9,
        completion_tokens: 141,
        total_tokens: 150,
        prompt_tokens_details: { cached_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 140 },
      }),
    ]);
  });

  it("sends each whole function call as one tool-call delta with a running index", () => {
    const chunks = run(parseSseText(toolStream));
    // The thought signature rides along as Google's OpenAI-compatible `extra_content` (not in our shared type).
    const signedCall = {
      index: 0,
      id: expect.stringMatching(/^call_[0-9a-f]{24}$/),
      type: "function" as const,
      function: { name: "get_weather", arguments: '{"city":"Paris"}' },
      extra_content: { google: { thought_signature: "CiIBVKhc7oLwWyEa0PJ1d4hK0gxzvy7XfbPYc0QOBe6Q" } },
    };
    const id = "dRFTaa_RJ-zMz7IPgp7q2Qc";
    const model = "gemini-3-flash-preview";
    expect(chunks).toEqual([
      expectedChunk(id, model, { role: "assistant", content: "Let me check both." }),
      expectedChunk(id, model, { tool_calls: [signedCall] }),
      expectedChunk(id, model, {
        tool_calls: [
          {
            index: 1,
            id: expect.stringMatching(/^call_[0-9a-f]{24}$/),
            type: "function",
            function: { name: "get_time", arguments: '{"timezone":"Europe/London"}' },
          },
        ],
      }),
      expectedChunk(id, model, {}, "tool_calls"),
      expectedUsage(id, model, {
        prompt_tokens: 118,
        completion_tokens: 125,
        total_tokens: 243,
        prompt_tokens_details: { cached_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 84 },
      }),
    ]);
    const ids = chunks.flatMap((c) => c.choices.flatMap((choice) => choice.delta.tool_calls ?? [])).map((t) => t.id);
    expect(new Set(ids).size).toBe(2);
  });

  it("keeps a separate role, tool index space and finish per candidate (n > 1)", () => {
    const id = "sBVTabLOAvDMz7IPjuzAyAU";
    const model = "gemini-2.0-flash";
    expect(run(parseSseText(twoCandidateStream))).toEqual([
      expectedChunk(id, model, { role: "assistant", content: "Heads" }, null, 0),
      expectedChunk(id, model, { role: "assistant", content: "Tails" }, null, 1),
      expectedChunk(id, model, { content: "." }, null, 0),
      expectedChunk(id, model, {}, "stop", 0),
      expectedChunk(id, model, { content: " again" }, null, 1),
      expectedChunk(id, model, {}, "length", 1),
      expectedUsage(id, model, {
        prompt_tokens: 6,
        completion_tokens: 5,
        total_tokens: 11,
        prompt_tokens_details: { cached_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0 },
      }),
    ]);
  });

  it("answers a blocked prompt with a filtered finish and the usage", () => {
    const id = "NxRTaYfRFc3Mz7IP6o2H4Qk";
    expect(run(parseSseText(blockedStream))).toEqual([
      expectedChunk(id, "gemini-2.5-flash", { role: "assistant" }, "content_filter"),
      expectedUsage(id, "gemini-2.5-flash", {
        prompt_tokens: 12,
        completion_tokens: 0,
        total_tokens: 12,
        prompt_tokens_details: { cached_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0 },
      }),
    ]);
  });

  it("uses the context's id and model when Google sends none, and zero usage without usageMetadata", () => {
    const events = [
      { data: '{"candidates": [{"content": {"parts": [{"text": "ok"}],"role": "model"},"finishReason": "STOP"}]}' },
    ];
    const chunks = run(events);
    expect(chunks.map((c) => [c.id, c.model])).toEqual([
      ["chatcmpl-fallback", "requested-model"],
      ["chatcmpl-fallback", "requested-model"],
      ["chatcmpl-fallback", "requested-model"],
    ]);
    expect(chunks[2]?.usage).toMatchObject({ prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 });
  });

  it("throws IncompleteStreamError from end() when no finishReason arrived", () => {
    const mapper = googleAdapter.chat.createStreamMapper(ctx);
    const chunks = parseSseText(cutStream).flatMap((event) => mapper.onEvent(event));
    expect(chunks).toEqual([
      expectedChunk("8RNTaeDjC9jMz7IPkcq8mQg", "gemini-2.5-flash", { role: "assistant", content: "Once upon a" }),
    ]);
    expect(() => mapper.end()).toThrow(IncompleteStreamError);
    expect(() => googleAdapter.chat.createStreamMapper(ctx).end()).toThrow(IncompleteStreamError);
  });

  it("throws IncompleteStreamError when one of several candidates never finished", () => {
    const events = parseSseText(twoCandidateStream);
    const last = events[1];
    if (!last) throw new Error("fixture");
    const onlyFirstFinished = last.data.replace('"finishReason": "MAX_TOKENS",', "");
    const mapper = googleAdapter.chat.createStreamMapper(ctx);
    [events[0], { data: onlyFirstFinished }].forEach((event) => event && mapper.onEvent(event));
    expect(() => mapper.end()).toThrow(IncompleteStreamError);
  });

  it("throws GoogleStreamError for an error event, carrying message and status", () => {
    const mapper = googleAdapter.chat.createStreamMapper(ctx);
    const [first, error] = parseSseText(errorStream);
    if (!first || !error) throw new Error("fixture");
    expect(mapper.onEvent(first)).toHaveLength(1);
    let thrown: unknown;
    try {
      mapper.onEvent(error);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(GoogleStreamError);
    const streamError = thrown as GoogleStreamError;
    expect(streamError.message).toBe("The model is overloaded. Please try again later.");
    expect(streamError.status).toBe(503);
    expect(streamError.error).toEqual({
      message: "The model is overloaded. Please try again later.",
      type: "unavailable",
      code: "UNAVAILABLE",
      param: null,
    });
  });

  it("throws MalformedUpstreamError for events that are not a GenerateContentResponse", () => {
    const mapper = googleAdapter.chat.createStreamMapper(ctx);
    expect(() => mapper.onEvent({ data: "not json" })).toThrow(MalformedUpstreamError);
    expect(() => mapper.onEvent({ data: '{"candidates": "nope"}' })).toThrow(MalformedUpstreamError);
  });

  it("gives the same chunks when the body arrives split at awkward byte boundaries", async () => {
    const bytes = new TextEncoder().encode(textStream);
    // Cut inside "\r\n" separators, inside "data:", and inside JSON.
    const firstSeparator = textStream.indexOf("\r\n\r\n");
    const cuts = [firstSeparator + 1, firstSeparator + 3, firstSeparator + 6, firstSeparator + 40, bytes.length - 2];
    const source = new ReadableStream<Uint8Array>({
      start(controller) {
        let start = 0;
        for (const cut of cuts) {
          controller.enqueue(bytes.slice(start, cut));
          start = cut;
        }
        controller.enqueue(bytes.slice(start));
        controller.close();
      },
    });
    const events: SseEvent[] = [];
    const reader = source.pipeThrough(createSseParser()).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      events.push(value);
    }
    const strip = (chunks: ChatCompletionChunk[]) =>
      chunks.map((c) => c.choices[0]?.delta.content ?? c.usage?.total_tokens);
    expect(strip(run(events))).toEqual(strip(run(parseSseText(textStream))));
    expect(events).toHaveLength(3);
  });
});
