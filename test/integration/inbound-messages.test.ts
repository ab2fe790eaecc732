import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { parseSseText } from "../../providers/shared/sse";
import { textMessage } from "../fixtures/anthropic/messages";
import { textStream as anthropicTextStream } from "../fixtures/anthropic/streams";
import { toolCompletion } from "../fixtures/inbound-anthropic/chat-answers";
import { toolLoopRequest } from "../fixtures/inbound-anthropic/requests";
import googleTools from "../fixtures/google/generate-content-tool-calls.json";
import { brokenBody, chunkedBody, gateway, upstream, useFakeUpstreams } from "./harness";
import { createKey, createVirtualKey, withEnv } from "./governance-helpers";
import { loggedRow, uniqueTrace } from "./observability-helpers";

useFakeUpstreams();

const OPENAI = "https://api.openai.com/v1/chat/completions";
const ANTHROPIC = "https://api.anthropic.com/v1/messages";
const GEMINI = "https://generativelanguage.googleapis.com/v1beta/models/gemini-3-flash-preview:generateContent";
const openaiHeaders = { "x-portkey-provider": "openai", authorization: "Bearer sk-test-messages-0000" };
const anthropicHeaders = {
  "x-portkey-provider": "anthropic",
  "x-api-key": "sk-ant-test-messages-0000",
  "anthropic-version": "2023-06-01",
};
const weather = {
  name: "get_weather",
  description: "Weather",
  input_schema: { type: "object", properties: { location: { type: "string" } } },
};
const ask = (model: string, extra: object = {}) => ({
  model,
  max_tokens: 256,
  system: "Be brief.",
  messages: [{ role: "user", content: "Hi" }],
  ...extra,
});
const messages = (headers: Record<string, string>, body: unknown) => gateway({ path: "/v1/messages", headers, body });

const chunkBase = { id: "chatcmpl-int1", object: "chat.completion.chunk", created: 1, model: "gpt-4o-mini-2024-07-18" };
const openaiSse = (deltas: Array<[object, string | null]>, usage?: object) =>
  deltas
    .map(
      ([delta, finish]) =>
        `data: ${JSON.stringify({ ...chunkBase, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`,
    )
    .join("") +
  (usage ? `data: ${JSON.stringify({ ...chunkBase, choices: [], usage })}\n\n` : "") +
  "data: [DONE]\n\n";

interface Recorded {
  headers: Headers;
  text: string;
}
function record(url: string, answer: () => Response): Recorded[] {
  const seen: Recorded[] = [];
  upstream.use(
    http.post(url, async ({ request }) => {
      seen.push({ headers: request.headers, text: await request.text() });
      return answer();
    }),
  );
  return seen;
}

const sse = (body: BodyInit) => new HttpResponse(body, { headers: { "content-type": "text/event-stream" } });
const events = (text: string) =>
  parseSseText(text).map((event) => ({ name: event.event, data: JSON.parse(event.data) as Record<string, unknown> }));

describe("/v1/messages to OpenAI", () => {
  it("translates the request to chat and the answer to an Anthropic message", async () => {
    const seen = record(OPENAI, () => HttpResponse.json(toolCompletion));
    const res = await messages(openaiHeaders, ask("gpt-4o-mini", { tools: [weather], tool_choice: { type: "any" } }));
    expect(res.status).toBe(200);
    expect(JSON.parse(seen[0]?.text ?? "")).toMatchObject({
      model: "gpt-4o-mini",
      max_tokens: 256,
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi" },
      ],
      tools: [{ type: "function", function: { name: "get_weather" } }],
      tool_choice: "required",
    });
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      type: "message",
      role: "assistant",
      stop_reason: "tool_use",
      usage: { input_tokens: 19, output_tokens: 10 },
    });
    expect(body.content).toEqual([
      { type: "tool_use", id: "call_abc", name: "get_weather", input: { location: "Paris" } },
      { type: "tool_use", id: "call_def", name: "get_time", input: { tz: "Europe/Paris" } },
    ]);
  });

  it("streams Anthropic's event sequence from OpenAI chunks split at awkward bytes, and logs one messages row with cost", async () => {
    const usage = { prompt_tokens: 12, completion_tokens: 4, total_tokens: 16 };
    const text = openaiSse(
      [
        [{ role: "assistant", content: "" }, null],
        [{ content: "Hé" }, null],
        [{ content: "llo" }, null],
        [{}, "stop"],
      ],
      usage,
    );
    const seen = record(OPENAI, () => sse(chunkedBody(text, [7, 51, 52, 130, 131])));
    const trace = uniqueTrace("messages-stream");
    const res = await messages({ ...openaiHeaders, "x-portkey-trace-id": trace }, ask("gpt-4o-mini", { stream: true }));
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const got = events(await res.text());
    for (const event of got) expect(event.name).toBe(event.data.type);
    expect(got.map((event) => event.data.type)).toEqual([
      "message_start",
      "ping",
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    expect(got[6]?.data).toMatchObject({
      delta: { stop_reason: "end_turn" },
      usage: { input_tokens: 12, output_tokens: 4 },
    });
    expect(JSON.parse(seen[0]?.text ?? "")).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    const row = await loggedRow(trace);
    expect(row).toMatchObject({
      operation: "messages",
      provider: "openai",
      stream: 1,
      prompt_tokens: 12,
      completion_tokens: 4,
      finish_reason: "stop",
      tokens_estimated: 0,
    });
    expect(row.cost_usd).toBeGreaterThan(0);
  });

  it("ends a stream that breaks mid-way with an Anthropic error event", async () => {
    record(OPENAI, () =>
      sse(brokenBody(openaiSse([[{ role: "assistant", content: "Par" }, null]]).replace("data: [DONE]\n\n", ""))),
    );
    const res = await messages(openaiHeaders, ask("gpt-4o-mini", { stream: true }));
    expect(res.status).toBe(200);
    const got = events(await res.text());
    expect(got.at(-1)).toMatchObject({ name: "error", data: { type: "error", error: { type: "api_error" } } });
    expect(got.map((event) => event.data.type)).not.toContain("message_stop");
  });

  it("answers provider and validation errors in Anthropic's envelope with Anthropic's status meaning", async () => {
    record(OPENAI, () =>
      HttpResponse.json(
        { error: { message: "Rate limit reached", type: "requests", code: "rate_limit_exceeded" } },
        { status: 429 },
      ),
    );
    const limited = await messages(openaiHeaders, ask("gpt-4o-mini"));
    expect(limited.status).toBe(429);
    expect(await limited.json()).toEqual({
      type: "error",
      error: { type: "rate_limit_error", message: "Rate limit reached" },
    });

    const { max_tokens: _dropped, ...noMax } = ask("gpt-4o-mini");
    const invalid = await messages(openaiHeaders, noMax);
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toEqual({
      type: "error",
      error: { type: "invalid_request_error", message: expect.stringContaining("max_tokens") },
    });
  });

  it("refuses what only Anthropic can serve, naming the field, when the target is another provider", async () => {
    const res = await messages(
      openaiHeaders,
      ask("gpt-4o-mini", { tools: [{ type: "web_search_20250305", name: "web_search" }] }),
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      type: "error",
      error: { type: "invalid_request_error", message: expect.stringContaining("tools[0]") },
    });
  });

  it("carries a tool round trip: the tool_result reaches OpenAI as a tool message after the assistant's call", async () => {
    const seen = record(OPENAI, () =>
      HttpResponse.json({
        ...toolCompletion,
        choices: [{ index: 0, message: { role: "assistant", content: "18°C." }, finish_reason: "stop" }],
      }),
    );
    const res = await messages(openaiHeaders, { ...toolLoopRequest, model: "gpt-4o-mini", stream: false });
    expect(res.status).toBe(200);
    const sent = JSON.parse(seen[0]?.text ?? "") as { messages: Array<Record<string, unknown>> };
    expect(sent.messages.slice(2, 4)).toEqual([
      expect.objectContaining({
        role: "assistant",
        tool_calls: [expect.objectContaining({ id: "toolu_01A09q90qw90lq917835lq9" })],
      }),
      { role: "tool", tool_call_id: "toolu_01A09q90qw90lq917835lq9", content: "18°C, cloudy" },
    ]);
    expect(await res.json()).toMatchObject({ content: [{ type: "text", text: "18°C." }], stop_reason: "end_turn" });
  });
});

describe("/v1/messages to Gemini", () => {
  it("translates a tool-calling answer into tool_use blocks", async () => {
    const seen = record(GEMINI, () => HttpResponse.json(googleTools));
    const res = await messages(
      { "x-portkey-provider": "google", "x-api-key": "AIza-test-messages" },
      ask("gemini-3-flash-preview", { tools: [weather] }),
    );
    expect(res.status).toBe(200);
    expect(seen[0]?.headers.get("x-goog-api-key")).toBe("AIza-test-messages");
    const body = (await res.json()) as {
      content: Array<Record<string, unknown>>;
      stop_reason: string;
      usage: Record<string, number>;
    };
    expect(body.stop_reason).toBe("tool_use");
    expect(body.content.map((block) => [block.type, block.name, block.input])).toEqual([
      ["tool_use", "get_weather", { city: "Paris", unit: "celsius" }],
      ["tool_use", "get_time", { timezone: "Europe/London" }],
    ]);
    expect(body.usage).toMatchObject({ input_tokens: 118 });
  });
});

describe("/v1/messages to Anthropic (native)", () => {
  it("forwards the client's bytes and headers as sent and returns Anthropic's bytes untouched", async () => {
    const answer = JSON.stringify(textMessage, null, 1);
    const seen = record(ANTHROPIC, () => new HttpResponse(answer, { headers: { "content-type": "application/json" } }));
    const sent = JSON.stringify(toolLoopRequest).replace("}", " }").replace('"stream":true', '"stream":false');
    const res = await messages({ ...anthropicHeaders, "anthropic-beta": "interleaved-thinking-2025-05-14" }, sent);
    expect(res.status).toBe(200);
    expect(seen[0]?.text).toBe(sent);
    expect(seen[0]?.headers.get("x-api-key")).toBe("sk-ant-test-messages-0000");
    expect(seen[0]?.headers.get("anthropic-beta")).toBe("interleaved-thinking-2025-05-14");
    expect(seen[0]?.headers.get("anthropic-version")).toBe("2023-06-01");
    expect(await res.text()).toBe(answer);
  });

  it("streams Anthropic's events byte for byte and logs usage from them", async () => {
    record(ANTHROPIC, () => sse(chunkedBody(anthropicTextStream, [13, 14, 200, 401])));
    const trace = uniqueTrace("messages-native-stream");
    const res = await messages(
      { ...anthropicHeaders, "x-portkey-trace-id": trace },
      ask("claude-sonnet-4-5", { stream: true }),
    );
    expect(await res.text()).toBe(anthropicTextStream);
    const row = await loggedRow(trace);
    expect(row).toMatchObject({
      operation: "messages",
      provider: "anthropic",
      prompt_tokens: 25,
      completion_tokens: 15,
      finish_reason: "stop",
      served_model: "claude-sonnet-4-5-20250929",
    });
  });

  it("appends an error event when Anthropic's stream is cut before message_stop", async () => {
    const cut = anthropicTextStream.slice(0, anthropicTextStream.indexOf("event: message_delta"));
    record(ANTHROPIC, () => sse(chunkedBody(cut, [40])));
    const text = await (await messages(anthropicHeaders, ask("claude-sonnet-4-5", { stream: true }))).text();
    expect(text.startsWith(cut)).toBe(true);
    expect(events(text.slice(cut.length))).toEqual([
      {
        name: "error",
        data: { type: "error", error: { type: "api_error", message: expect.stringContaining("interrupted") } },
      },
    ]);
  });

  it("passes Anthropic's own error through in its envelope and status", async () => {
    record(ANTHROPIC, () =>
      HttpResponse.json({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } }, { status: 529 }),
    );
    const res = await messages(anthropicHeaders, ask("claude-sonnet-4-5"));
    expect(res.status).toBe(529);
    expect(await res.json()).toEqual({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } });
  });

  it("takes a gateway key in x-api-key, as the Anthropic SDK sends it, and a virtual key in the model", async () => {
    const vk = await createVirtualKey({ provider: "anthropic" });
    const key = await createKey();
    const seen = record(ANTHROPIC, () => HttpResponse.json(textMessage));
    const res = await withEnv(
      { PASSTHROUGH_MODE: "false" },
      {
        path: "/v1/messages",
        headers: { "x-api-key": key.key, "anthropic-version": "2023-06-01" },
        body: ask(`@${vk.slug}/claude-sonnet-4-5`),
      },
    );
    expect(res.status).toBe(200);
    expect(seen[0]?.headers.get("x-api-key")).toBe(vk.secret);
    expect(JSON.parse(seen[0]?.text ?? "")).toMatchObject({ model: "claude-sonnet-4-5", max_tokens: 256 });
  });

  it("refuses a wrong gateway key in x-api-key with Anthropic's authentication_error", async () => {
    const res = await withEnv(
      { PASSTHROUGH_MODE: "false" },
      { path: "/v1/messages", headers: { "x-api-key": `pk-gw-${"x".repeat(43)}` }, body: ask("claude-sonnet-4-5") },
    );
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ type: "error", error: { type: "authentication_error" } });
  });
});

describe("/v1/messages/count_tokens", () => {
  it("asks Anthropic for an Anthropic target, with the client's body and headers", async () => {
    const seen = record(`${ANTHROPIC}/count_tokens`, () => HttpResponse.json({ input_tokens: 2095 }));
    const { max_tokens: _dropped, ...body } = ask("claude-sonnet-4-5");
    const res = await gateway({ path: "/v1/messages/count_tokens", headers: anthropicHeaders, body });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-portkey-token-count")).toBe("provider");
    expect(await res.json()).toEqual({ input_tokens: 2095 });
    expect(JSON.parse(seen[0]?.text ?? "")).toEqual(body);
    expect(seen[0]?.headers.get("x-api-key")).toBe("sk-ant-test-messages-0000");
  });

  it("estimates for any other provider, and says so", async () => {
    const { max_tokens: _dropped, ...body } = ask("gpt-4o-mini");
    const res = await gateway({ path: "/v1/messages/count_tokens", headers: openaiHeaders, body });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-portkey-token-count")).toBe("estimate");
    const counted = (await res.json()) as { input_tokens: number; estimated: boolean };
    expect(counted.estimated).toBe(true);
    expect(counted.input_tokens).toBeGreaterThan(4);
  });
});
