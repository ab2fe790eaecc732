import type OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { parseSseText } from "../../providers/shared/sse";
import { assembleStream } from "../../src/cache/assemble";
import { replayStream } from "../../src/cache/replay";

/**
 * Fields a replay must not lose, on the shapes of the installed `openai` package's types (ChatCompletion,
 * ChatCompletionChunk). Audio and annotation deltas are not in the SDK's Delta type; its own accumulator widens it
 * the same way (ChatCompletionStream: `delta as typeof delta & { audio?: ... }`).
 */
type Delta = OpenAI.ChatCompletionChunk.Choice.Delta & {
  audio?: Partial<OpenAI.ChatCompletionAudio>;
  annotations?: OpenAI.ChatCompletionMessage.Annotation[];
};
type Chunk = Omit<OpenAI.ChatCompletionChunk, "choices"> & {
  choices: (Omit<OpenAI.ChatCompletionChunk.Choice, "delta"> & { delta: Delta })[];
  obfuscation?: string;
};

const head = {
  id: "chatcmpl-f",
  object: "chat.completion.chunk",
  created: 1_727_000_000,
  model: "gpt-4o-2024-08-06",
  service_tier: "default",
  system_fingerprint: "fp_f",
} as const;
const chunk = (delta: Delta, extra: Partial<OpenAI.ChatCompletionChunk.Choice> = {}): Chunk => ({
  ...head,
  choices: [{ index: 0, delta, logprobs: null, finish_reason: null, ...extra }],
});
const sseOf = (items: unknown[]) =>
  items.map((item) => `data: ${JSON.stringify(item)}\n\n`).join("") + "data: [DONE]\n\n";
const assemble = (chunks: unknown[]) => assembleStream("chat", parseSseText(sseOf(chunks)))?.body;
const replayChunks = (body: unknown, includeUsage = false) =>
  parseSseText(replayStream("chat", body, { includeUsage, usage }) ?? "")
    .filter((event) => event.data !== "[DONE]")
    .map((event) => JSON.parse(event.data) as Chunk);

const usage: OpenAI.CompletionUsage = { prompt_tokens: 20, completion_tokens: 5, total_tokens: 25 };
const bytes = (text: string) => [...new TextEncoder().encode(text)];
const logprob = (token: string): OpenAI.ChatCompletionTokenLogprob => ({
  token,
  logprob: -0.0123,
  bytes: bytes(token),
  top_logprobs: [{ token, logprob: -0.0123, bytes: bytes(token) }],
});

const refusal: OpenAI.ChatCompletion = {
  id: "chatcmpl-f",
  object: "chat.completion",
  created: 1_727_000_000,
  model: "gpt-4o-2024-08-06",
  service_tier: "default",
  system_fingerprint: "fp_f",
  choices: [
    {
      index: 0,
      message: { role: "assistant", content: null, refusal: "I'm sorry, I can't help with that.", annotations: [] },
      logprobs: { content: null, refusal: [logprob("I'm"), logprob(" sorry")] },
      finish_reason: "stop",
    },
  ],
  usage,
};

describe("replaying every field of a stored answer", () => {
  it("sends a refusal with its token logprobs, and service_tier on every chunk; the chunks assemble back to the body", () => {
    const chunks = replayChunks(refusal, true);
    for (const c of chunks) expect(c).toMatchObject({ service_tier: "default", system_fingerprint: "fp_f" });
    const refusalChunk = chunks.find((c) => c.choices[0]?.delta.refusal);
    expect(refusalChunk?.choices[0]?.logprobs).toEqual({
      content: null,
      refusal: refusal.choices[0]?.logprobs?.refusal,
    });
    expect(assemble(chunks)).toEqual(refusal);
  });

  it("splits content and refusal logprobs between their chunks when an answer has both", () => {
    const both = structuredClone(refusal);
    const [choice] = both.choices;
    if (!choice) throw new Error("fixture");
    choice.message.content = "Partly.";
    choice.logprobs = { content: [logprob("Part"), logprob("ly.")], refusal: [logprob("No")] };
    const chunks = replayChunks(both);
    expect(chunks.find((c) => c.choices[0]?.delta.content)?.choices[0]?.logprobs).toEqual({
      content: choice.logprobs.content,
      refusal: null,
    });
    expect(chunks.find((c) => c.choices[0]?.delta.refusal)?.choices[0]?.logprobs).toEqual({
      content: null,
      refusal: choice.logprobs.refusal,
    });
    expect(assemble(chunks)?.choices).toEqual(both.choices);
  });

  it("replays audio, annotations and a legacy function_call whole, and choice-level extras on the finish chunk", () => {
    const body = {
      ...refusal,
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            content: "See the link.",
            refusal: null,
            annotations: [
              {
                type: "url_citation",
                url_citation: { start_index: 0, end_index: 3, title: "Docs", url: "https://example.com" },
              },
            ],
            audio: { id: "audio_1", data: "UklGRgAAAAA=", expires_at: 1_729_018_505, transcript: "See the link." },
            function_call: { name: "lookup", arguments: '{"q":"x"}' },
          },
          logprobs: null,
          finish_reason: "stop",
          content_filter_results: { hate: { filtered: false, severity: "safe" } },
        },
      ],
    };
    const chunks = replayChunks(body, true);
    expect(chunks.at(-2)?.choices[0]).toMatchObject({
      finish_reason: "stop",
      content_filter_results: body.choices[0]?.content_filter_results,
    });
    expect(assemble(chunks)).toEqual(body);
  });
});

describe("assembling OpenAI's streamed fields", () => {
  it("appends content logprobs and keeps a refusal list that never came as null", () => {
    const body = assemble([
      chunk({ role: "assistant", content: "", refusal: null }, { logprobs: { content: [], refusal: null } }),
      chunk({ content: "Hi" }, { logprobs: { content: [logprob("Hi")], refusal: null } }),
      chunk({ content: " there" }, { logprobs: { content: [logprob(" there")], refusal: null } }),
      chunk({}, { finish_reason: "stop" }),
    ]);
    expect(body).toMatchObject({ service_tier: "default", system_fingerprint: "fp_f" });
    expect(body?.choices).toEqual([
      {
        index: 0,
        message: { role: "assistant", content: "Hi there", refusal: null },
        logprobs: { content: [logprob("Hi"), logprob(" there")], refusal: null },
        finish_reason: "stop",
      },
    ]);
  });

  it("merges audio pieces, appends annotations, joins function_call arguments, and drops obfuscation padding", () => {
    const citation = (url: string): OpenAI.ChatCompletionMessage.Annotation => ({
      type: "url_citation",
      url_citation: { start_index: 0, end_index: 1, title: url, url },
    });
    const padded = (c: Chunk, obfuscation: string): Chunk => ({ ...c, obfuscation });
    const body = assemble([
      padded(
        chunk({ role: "assistant", content: null, refusal: null, audio: { id: "audio_9", transcript: "Hel" } }),
        "xK2",
      ),
      padded(chunk({ audio: { transcript: "lo." } }), "a"),
      chunk({ audio: { data: "UklGRg==" } }),
      chunk({ audio: { data: "AAAA" } }),
      chunk({ audio: { expires_at: 1_729_018_505 } }),
      chunk({ annotations: [citation("https://a.example")] }),
      chunk({ annotations: [citation("https://b.example")] }),
      chunk({ function_call: { name: "get_weather", arguments: "" } }),
      chunk({ function_call: { arguments: '{"city":' } }),
      chunk({ function_call: { arguments: '"Paris"}' } }),
      padded(chunk({}, { finish_reason: "function_call" }), "zz"),
    ]);
    expect(body).not.toHaveProperty("obfuscation");
    expect(body?.choices).toEqual([
      {
        index: 0,
        logprobs: null,
        finish_reason: "function_call",
        message: {
          role: "assistant",
          content: null,
          refusal: null,
          audio: { id: "audio_9", transcript: "Hello.", data: "UklGRg==AAAA", expires_at: 1_729_018_505 },
          annotations: [citation("https://a.example"), citation("https://b.example")],
          function_call: { name: "get_weather", arguments: '{"city":"Paris"}' },
        },
      },
    ]);
  });
});
