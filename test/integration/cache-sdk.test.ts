import { exports } from "cloudflare:workers";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { chatBody, completion, json, serveChat, sse, uniq, waitForEntries } from "./cache-fixtures";
import { chunkedBody, useFakeUpstreams } from "./harness";

useFakeUpstreams();

const head = {
  id: "chatcmpl-sdk",
  object: "chat.completion.chunk",
  created: 1_700_000_000,
  model: "gpt-4o-mini-2024-07-18",
};
const chunk = (delta: object, finish: string | null = null) => ({
  ...head,
  choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
});
const usage = { prompt_tokens: 9, completion_tokens: 6, total_tokens: 15 };
const recorded =
  [
    chunk({ role: "assistant", content: "" }),
    chunk({ content: "Cached " }),
    chunk({ content: "hello" }),
    chunk({
      tool_calls: [{ index: 0, id: "call_1", type: "function", function: { name: "lookup", arguments: '{"q":' } }],
    }),
    chunk({ tool_calls: [{ index: 0, function: { arguments: '"x"}' } }] }),
    chunk({}, "tool_calls"),
    { ...head, choices: [], usage },
  ]
    .map((c) => `data: ${JSON.stringify(c)}\n\n`)
    .join("") + "data: [DONE]\n\n";

/** The official SDK, its requests going straight into the gateway Worker (only baseURL, apiKey and headers set). */
function client(ns: string): OpenAI {
  return new OpenAI({
    baseURL: "http://gateway.test/v1",
    apiKey: "sk-sdk-tenant",
    maxRetries: 0,
    defaultHeaders: {
      "x-portkey-config": JSON.stringify({ provider: "openai", cache: { mode: "simple", max_age: 600 } }),
      "x-portkey-cache-namespace": ns,
    },
    fetch: (url: RequestInfo | URL, init?: RequestInit) => exports.default.fetch(new Request(url, init)),
  });
}

describe("the openai SDK reads cached answers", () => {
  it("parses a streamed replay: text, tool call, finish reason and usage", async () => {
    const ns = uniq("sdk");
    const served = serveChat(() => sse(chunkedBody(recorded, [13, 101, 102, 300])));
    const sdk = client(ns);
    const params = {
      ...chatBody("Stream it"),
      stream: true as const,
      stream_options: { include_usage: true },
    } as OpenAI.ChatCompletionCreateParamsStreaming;
    const first = await sdk.chat.completions.stream(params).finalChatCompletion();
    await waitForEntries(1, `rc1:${ns}:`);

    const { data: stream, response } = await sdk.chat.completions.create(params).withResponse();
    expect(response.headers.get("x-portkey-cache-status")).toBe("HIT");
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const c of stream) chunks.push(c);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe("Cached hello");
    expect(chunks.at(-1)?.usage).toEqual(usage);

    const replayed = await sdk.chat.completions.stream(params).finalChatCompletion();
    expect(replayed.choices[0]?.message.content).toBe("Cached hello");
    expect(replayed.choices[0]?.message.tool_calls).toEqual([
      { id: "call_1", type: "function", function: { name: "lookup", arguments: '{"q":"x"}' } },
    ]);
    expect(replayed.choices[0]?.finish_reason).toBe("tool_calls");
    expect(replayed.choices).toEqual(first.choices);
    expect(served.calls).toBe(1);
  });

  it("parses a non-streamed hit", async () => {
    const ns = uniq("sdk");
    serveChat(() => json(completion("From the cache")));
    const sdk = client(ns);
    const params = chatBody("Plain") as OpenAI.ChatCompletionCreateParamsNonStreaming;
    await sdk.chat.completions.create(params);
    await waitForEntries(1, `rc1:${ns}:`);
    const { data, response } = await sdk.chat.completions.create(params).withResponse();
    expect(response.headers.get("x-portkey-cache-status")).toBe("HIT");
    expect(data.choices[0]?.message.content).toBe("From the cache");
  });

  it("replays content and refusal token logprobs that the SDK assembles into the provider's own answer", async () => {
    const bytes = (text: string) => [...new TextEncoder().encode(text)];
    const lp = (token: string): OpenAI.ChatCompletionTokenLogprob => ({
      token,
      logprob: -0.25,
      bytes: bytes(token),
      top_logprobs: [{ token, logprob: -0.25, bytes: bytes(token) }],
    });
    const withLogprobs = completion("Hi there", {
      service_tier: "default",
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: "Hi there", refusal: null, annotations: [] },
          logprobs: { content: [lp("Hi"), lp(" there")], refusal: null },
          finish_reason: "stop",
        },
      ],
    });
    const refused = completion("", {
      service_tier: "default",
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: null, refusal: "I can't help with that.", annotations: [] },
          logprobs: { content: null, refusal: [lp("I"), lp(" can't")] },
          finish_reason: "stop",
        },
      ],
    });
    for (const answer of [withLogprobs, refused]) {
      const ns = uniq("sdk");
      const served = serveChat(() => json(answer));
      const sdk = client(ns);
      const params = chatBody("Token logprobs, please", {
        logprobs: true,
        top_logprobs: 1,
      }) as OpenAI.ChatCompletionCreateParamsNonStreaming;
      expect(await sdk.chat.completions.create(params)).toEqual(answer);
      await waitForEntries(1, `rc1:${ns}:`);

      const replayed = await sdk.chat.completions.stream({ ...params, stream: true }).finalChatCompletion();
      expect(served.calls).toBe(1);
      const [original] = answer.choices;
      expect(replayed.choices[0]?.logprobs).toEqual(original?.logprobs);
      expect(replayed.choices[0]?.message).toMatchObject(original?.message ?? {});
      expect(replayed.choices[0]?.finish_reason).toBe("stop");
      expect(replayed).toMatchObject({
        id: answer.id,
        model: answer.model,
        service_tier: "default",
        system_fingerprint: answer.system_fingerprint,
      });
    }
  });
});
