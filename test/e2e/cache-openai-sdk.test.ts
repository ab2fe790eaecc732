/// <reference types="node" />
/**
 * The response cache under `wrangler dev` (real KV simulation, real waitUntil), read back by the official `openai`
 * SDK: a streamed answer is stored once complete and replayed as SSE the SDK parses like the provider's own.
 */
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  OPENAI,
  REPLY_TEXT,
  TOOL_ARGS_TEXT,
  TOOL_NAME,
  startFakeProviders,
  type FakeProviders,
} from "./fake-providers";
import { startGateway, type GatewayProcess } from "./gateway-process";

let fake: FakeProviders;
let gateway: GatewayProcess;

beforeAll(async () => {
  fake = await startFakeProviders();
  gateway = await startGateway();
});

afterAll(async () => {
  await gateway?.stop();
  await fake?.close();
});

function client(namespace: string): OpenAI {
  const config = { provider: "openai", custom_host: fake.hosts.openai, cache: { mode: "simple", max_age: 600 } };
  return new OpenAI({
    baseURL: `${gateway.origin}/v1`,
    apiKey: "sk-fake",
    maxRetries: 0,
    timeout: 20_000,
    defaultHeaders: { "x-portkey-config": JSON.stringify(config), "x-portkey-cache-namespace": namespace },
  });
}

const upstreamCalls = () => fake.requests.filter((r) => r.path === "/openai/v1/chat/completions").length;

/** The answer is stored in waitUntil once the stream ended: wait until a plain request finds it. */
async function waitForHit(sdk: OpenAI, params: OpenAI.ChatCompletionCreateParamsNonStreaming): Promise<void> {
  await vi.waitFor(
    async () => {
      const { response } = await sdk.chat.completions.create(params).withResponse();
      expect(response.headers.get("x-portkey-cache-status")).toBe("HIT");
    },
    { timeout: 10_000, interval: 200 },
  );
}

describe("cache replay through the openai SDK", () => {
  it("replays a stored stream: text, usage chunk, finish reason, and no provider call", async () => {
    const sdk = client(`e2e-${Date.now()}-text`);
    const base = { model: "gpt-fake", messages: [{ role: "user" as const, content: "Hi" }] };
    const stream = { ...base, stream: true as const, stream_options: { include_usage: true } };
    const first = await sdk.chat.completions.stream(stream).finalChatCompletion();
    expect(first.choices[0]?.message.content).toBe(REPLY_TEXT);
    await waitForHit(sdk, base);
    const before = upstreamCalls();

    const { data, response } = await sdk.chat.completions.create(stream).withResponse();
    expect(response.headers.get("x-portkey-cache-status")).toBe("HIT");
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of data) chunks.push(chunk);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe(REPLY_TEXT);
    expect(chunks.findLast((c) => c.choices.length > 0)?.choices[0]?.finish_reason).toBe("stop");
    expect(chunks.at(-1)?.choices).toEqual([]);
    expect(chunks.at(-1)?.usage).toMatchObject({
      prompt_tokens: OPENAI.usage.prompt_tokens,
      completion_tokens: OPENAI.usage.completion_tokens,
    });
    expect(upstreamCalls()).toBe(before);
  });

  it("replays a streamed tool call that the SDK assembles like the original", async () => {
    const sdk = client(`e2e-${Date.now()}-tools`);
    const tools = [
      {
        type: "function" as const,
        function: { name: TOOL_NAME, parameters: { type: "object", properties: { city: { type: "string" } } } },
      },
    ];
    const base = {
      model: "gpt-fake",
      messages: [{ role: "user" as const, content: "Weather in Paris?" }],
      tools,
      tool_choice: "auto" as const,
    };
    const original = await sdk.chat.completions.stream({ ...base, stream: true }).finalChatCompletion();
    await waitForHit(sdk, base);
    const replayed = await sdk.chat.completions.stream({ ...base, stream: true }).finalChatCompletion();
    expect(replayed.choices[0]?.message.tool_calls?.[0]?.function).toEqual({
      name: TOOL_NAME,
      arguments: TOOL_ARGS_TEXT,
    });
    expect(replayed.choices).toEqual(original.choices);
  });
});
