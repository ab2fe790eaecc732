/// <reference types="node" />
/**
 * The official `@anthropic-ai/sdk` against the gateway's /v1/messages under `wrangler dev`, with the fake OpenAI,
 * Anthropic and Gemini servers on 127.0.0.1 reached through `x-portkey-custom-host`. Only the SDK's baseURL,
 * apiKey and headers change: the same client code talks to any provider.
 */
import Anthropic from "@anthropic-ai/sdk";
import type { MessageParam, Tool } from "@anthropic-ai/sdk/resources/messages";
import { describe, expect, it } from "vitest";
import { ANTHROPIC, REPLY_TEXT, TOOL_ARGS, TOOL_NAME, type FakeProviders } from "./fake-providers";
import type { GatewayProcess } from "./gateway-process";
import { useFakesAndGateway } from "./servers";

let fake: FakeProviders;
let gateway: GatewayProcess;

useFakesAndGateway((servers) => ({ fake, gateway } = servers));

function client(provider: "openai" | "anthropic" | "google"): Anthropic {
  return new Anthropic({
    baseURL: gateway.origin,
    apiKey: "sk-fake",
    maxRetries: 0,
    timeout: 20_000,
    defaultHeaders: { "x-portkey-provider": provider, "x-portkey-custom-host": fake.hosts[provider] },
  });
}

const weather: Tool = {
  name: TOOL_NAME,
  description: "Weather",
  input_schema: { type: "object", properties: { city: { type: "string" } } },
};
const hello: MessageParam[] = [{ role: "user", content: "Hello" }];

describe("@anthropic-ai/sdk through /v1/messages", { timeout: 60_000 }, () => {
  it("messages.create against OpenAI: a Message with text, stop_reason and usage", async () => {
    const message = await client("openai").messages.create({ model: "gpt-4o-mini", max_tokens: 100, messages: hello });
    expect(message).toMatchObject({
      type: "message",
      role: "assistant",
      stop_reason: "end_turn",
      content: [{ type: "text", text: REPLY_TEXT }],
    });
    expect(message.usage.input_tokens).toBe(8); // OpenAI's 11 prompt tokens minus its 3 cached ones
    expect(message.usage.cache_read_input_tokens).toBe(3);
    expect(fake.requests.find((request) => request.provider === "openai")?.body).toMatchObject({
      model: "gpt-4o-mini",
      max_tokens: 100,
    });
  });

  it("messages.stream + finalMessage against OpenAI and Gemini", async () => {
    for (const [provider, model] of [
      ["openai", "gpt-4o-mini"],
      ["google", "gemini-2.5-flash"],
    ] as const) {
      const stream = client(provider).messages.stream({ model, max_tokens: 100, messages: hello });
      let streamed = "";
      stream.on("text", (text) => (streamed += text));
      const message = await stream.finalMessage();
      expect(streamed, provider).toBe(REPLY_TEXT);
      expect(message.content, provider).toEqual([{ type: "text", text: REPLY_TEXT }]);
      expect(message.stop_reason, provider).toBe("end_turn");
      expect(message.usage.output_tokens, provider).toBeGreaterThan(0);
    }
  });

  it("messages.stream against Anthropic is Anthropic's own stream (native)", async () => {
    const message = await client("anthropic")
      .messages.stream({ model: "claude-sonnet-4-5", max_tokens: 100, messages: hello })
      .finalMessage();
    expect(message.id).toBe(ANTHROPIC.messageId);
    expect(message.content).toMatchObject([{ type: "text", text: REPLY_TEXT }]);
    expect(message.usage).toMatchObject({
      input_tokens: ANTHROPIC.usage.input_tokens,
      output_tokens: ANTHROPIC.usage.output_tokens,
    });
    const sent = fake.requests.find((request) => request.provider === "anthropic");
    expect(sent?.headers["x-api-key"]).toBe("sk-fake");
    // The SDK's own API version reaches Anthropic, not the gateway's default.
    expect(sent?.headers["anthropic-version"]).toBe("2026-10-21");
  });

  it("a tool-use round trip against OpenAI: tool_use out, tool_result back in", async () => {
    const anthropic = client("openai");
    const first = await anthropic.messages
      .stream({ model: "gpt-4o-mini", max_tokens: 100, tools: [weather], messages: hello })
      .finalMessage();
    expect(first.stop_reason).toBe("tool_use");
    const call = first.content.find((block) => block.type === "tool_use");
    expect(call).toMatchObject({ type: "tool_use", name: TOOL_NAME, input: TOOL_ARGS });
    if (call?.type !== "tool_use") throw new Error("no tool_use block");
    const second = await anthropic.messages.create({
      model: "gpt-4o-mini",
      max_tokens: 100,
      messages: [
        ...hello,
        { role: "assistant", content: first.content },
        { role: "user", content: [{ type: "tool_result", tool_use_id: call.id, content: "18°C" }] },
      ],
    });
    expect(second.content).toEqual([{ type: "text", text: REPLY_TEXT }]);
    const sent = fake.requests.filter((request) => request.provider === "openai").at(-1)?.body as {
      messages: unknown[];
    };
    expect(sent.messages.at(-1)).toEqual({ role: "tool", tool_call_id: call.id, content: "18°C" });
  });

  it("countTokens: Anthropic's own count for Anthropic, an estimate elsewhere", async () => {
    const counted = await client("anthropic").messages.countTokens({ model: "claude-sonnet-4-5", messages: hello });
    expect(counted.input_tokens).toBe(ANTHROPIC.countTokens);
    const estimated = await client("openai").messages.countTokens({ model: "gpt-4o-mini", messages: hello });
    expect(estimated).toMatchObject({ estimated: true });
    expect(estimated.input_tokens).toBeGreaterThan(0);
  });

  it("errors reach the SDK as its own error classes", async () => {
    const error = await client("openai")
      .messages.create({ model: "fail-429", max_tokens: 10, messages: hello })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect((error as InstanceType<typeof Anthropic.RateLimitError>).error).toMatchObject({
      type: "error",
      error: { type: "rate_limit_error" },
    });
  });
});
