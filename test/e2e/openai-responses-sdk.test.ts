/// <reference types="node" />
/**
 * The official `openai` SDK's Responses API (`responses.create`, `responses.stream`, previous_response_id,
 * `responses.retrieve`, `inputItems.list`, `responses.delete`) against the gateway's /v1/responses under
 * `wrangler dev`, with the fake OpenAI, Anthropic and Gemini servers on 127.0.0.1 reached through
 * `x-portkey-custom-host`. Only headers change: the same client code talks to any provider.
 */
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { RESPONSES_TEXT } from "./fake-openai-responses";
import { REPLY_TEXT, TOOL_ARGS_TEXT, TOOL_NAME, type FakeProviders } from "./fake-providers";
import type { GatewayProcess } from "./gateway-process";
import { useFakesAndGateway } from "./servers";

let fake: FakeProviders;
let gateway: GatewayProcess;

useFakesAndGateway((servers) => ({ fake, gateway } = servers));

/** One passthrough credential for every provider: stored responses belong to the credential's tenant. */
function client(provider: "openai" | "anthropic" | "google"): OpenAI {
  return new OpenAI({
    baseURL: `${gateway.origin}/v1`,
    apiKey: "sk-fake-responses",
    maxRetries: 0,
    timeout: 20_000,
    defaultHeaders: { "x-portkey-provider": provider, "x-portkey-custom-host": fake.hosts[provider] },
  });
}

describe("openai SDK through /v1/responses", { timeout: 90_000 }, () => {
  it("responses.create on Anthropic and Gemini: output_text works, usage in Responses terms", async () => {
    for (const [provider, model] of [
      ["anthropic", "claude-sonnet-4-5"],
      ["google", "gemini-2.5-flash"],
    ] as const) {
      const response = await client(provider).responses.create({ model, input: "Hello", instructions: "Be brief." });
      expect(response.object, provider).toBe("response");
      expect(response.status, provider).toBe("completed");
      expect(response.output_text, provider).toBe(REPLY_TEXT);
      expect(response.usage?.input_tokens, provider).toBeGreaterThan(0);
      expect(response.usage?.output_tokens_details.reasoning_tokens, provider).toBe(0);
    }
  });

  it("responses.stream on Gemini: text deltas and finalResponse, then stored and retrievable", async () => {
    const stream = client("google").responses.stream({ model: "gemini-2.5-flash", input: "Hello" });
    let streamed = "";
    stream.on("response.output_text.delta", (event) => (streamed += event.delta));
    const final = await stream.finalResponse();
    expect(streamed).toBe(REPLY_TEXT);
    expect(final.output_text).toBe(REPLY_TEXT);
    // Stored at the stream's end (waitUntil): poll briefly.
    let retrieved: OpenAI.Responses.Response | undefined;
    for (let i = 0; i < 40 && !retrieved; i++) {
      retrieved = await client("google")
        .responses.retrieve(final.id)
        .catch(() => undefined);
      if (!retrieved) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(retrieved?.id).toBe(final.id);
  });

  it("a function tool round trip on Anthropic continued with previous_response_id on OpenAI (native)", async () => {
    const tools: OpenAI.Responses.FunctionTool[] = [
      {
        type: "function",
        name: TOOL_NAME,
        parameters: { type: "object", properties: { city: { type: "string" } } },
        strict: false,
      },
    ];
    const first = await client("anthropic").responses.create({
      model: "claude-sonnet-4-5",
      input: "Weather in Paris?",
      tools,
    });
    const call = first.output.find(
      (item): item is OpenAI.Responses.ResponseFunctionToolCall => item.type === "function_call",
    );
    expect(call?.name).toBe(TOOL_NAME);
    expect(JSON.parse(call?.arguments ?? "{}")).toEqual(JSON.parse(TOOL_ARGS_TEXT));
    const second = await client("openai").responses.create({
      model: "gpt-4o-mini",
      previous_response_id: first.id,
      input: [{ type: "function_call_output", call_id: call?.call_id ?? "", output: "18C" }],
    });
    expect(second.output_text).toBe(RESPONSES_TEXT);
    const sent = fake.last().body as { input: Array<Record<string, unknown>>; previous_response_id?: string };
    expect(fake.last().path).toBe("/openai/v1/responses");
    expect(sent.previous_response_id).toBeUndefined(); // OpenAI never saw the Anthropic turn: it gets the history
    // The user's turn, the fake Anthropic's preamble text and its tool call, then the tool's output.
    expect(sent.input.map((item) => item.type)).toEqual([
      "message",
      "message",
      "function_call",
      "function_call_output",
    ]);
    const items = await client("openai").responses.inputItems.list(second.id);
    expect(items.data.map((item) => item.type)).toEqual(["function_call_output"]);
    await client("openai").responses.delete(second.id);
    await expect(client("openai").responses.retrieve(second.id)).rejects.toMatchObject({ status: 404 });
  });

  it("responses.stream on OpenAI is OpenAI's own stream (native passthrough)", async () => {
    const final = await client("openai").responses.stream({ model: "gpt-4o-mini", input: "Hello" }).finalResponse();
    expect(final.output_text).toBe(RESPONSES_TEXT);
    expect(final.id).toMatch(/^resp_fake/);
  });
});
