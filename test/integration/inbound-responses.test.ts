import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { parseSseText } from "../../providers/shared/sse";
import { textMessage, toolUseMessage } from "../fixtures/anthropic/messages";
import { cutStream as anthropicCutStream, textStream as anthropicTextStream } from "../fixtures/anthropic/streams";
import { toolStream as geminiToolStream } from "../fixtures/google/streams";
import { openaiResponse, openaiStream } from "../fixtures/inbound-responses/openai";
import { bearer, createKey, createVirtualKey, withEnv } from "./governance-helpers";
import { chunkedBody, gateway, upstream, useFakeUpstreams } from "./harness";
import { loggedRow, uniqueTrace } from "./observability-helpers";

useFakeUpstreams();

const ANTHROPIC = "https://api.anthropic.com/v1/messages";
const GEMINI = "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash";
const OPENAI = "https://api.openai.com/v1/responses";
const anthropic = { "x-portkey-provider": "anthropic", authorization: "Bearer sk-ant-test-responses-0001" };
const google = { "x-portkey-provider": "google", authorization: "Bearer AIza-test-responses-0001" };
const openai = { "x-portkey-provider": "openai", authorization: "Bearer sk-test-responses-0001" };
const weather = {
  type: "function",
  name: "get_weather",
  description: "Weather",
  parameters: { type: "object", properties: { city: { type: "string" } } },
};

const responses = (headers: Record<string, string>, body: unknown) => gateway({ path: "/v1/responses", headers, body });
const read = (headers: Record<string, string>, path: string, method = "GET") =>
  gateway({ path: `/v1/responses/${path}`, method, headers });

interface Seen {
  url: string;
  text: string;
}
function record(url: string, answer: () => Response, method: "post" = "post"): Seen[] {
  const seen: Seen[] = [];
  upstream.use(
    http[method](url, async ({ request }) => {
      seen.push({ url: request.url, text: await request.text() });
      return answer();
    }),
  );
  return seen;
}
const sse = (body: BodyInit) => new HttpResponse(body, { headers: { "content-type": "text/event-stream" } });
const events = (text: string) =>
  parseSseText(text).map((event) => ({ name: event.event, data: JSON.parse(event.data) as Record<string, unknown> }));
const json = async (res: Response) => (await res.json()) as Record<string, unknown>;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A stream's response is stored once the stream ends (waitUntil): poll its GET until it is there. */
async function storedEventually(headers: Record<string, string>, id: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 50; i++) {
    const res = await read(headers, id);
    if (res.status === 200) return json(res);
    await sleep(50);
  }
  throw new Error(`response ${id} was never stored`);
}

describe("/v1/responses to Anthropic (translated through chat)", () => {
  it("maps the request, answers a response object, stores it before answering and logs one responses row with cost", async () => {
    const seen = record(ANTHROPIC, () => HttpResponse.json(textMessage));
    const trace = uniqueTrace("responses-json");
    const res = await responses(
      { ...anthropic, "x-portkey-trace-id": trace },
      {
        model: "claude-sonnet-4-5",
        instructions: "Be brief.",
        input: "Hi",
        max_output_tokens: 300,
        temperature: 0.2,
        metadata: { app: "t" },
      },
    );
    expect(res.status).toBe(200);
    expect(JSON.parse(seen[0]?.text ?? "")).toMatchObject({
      model: "claude-sonnet-4-5",
      system: "Be brief.",
      max_tokens: 300,
      temperature: 0.2,
      messages: [{ role: "user", content: [{ type: "text", text: "Hi" }] }],
    });
    const body = await json(res);
    expect(body).toMatchObject({
      object: "response",
      status: "completed",
      model: "claude-sonnet-4-5-20250929",
      instructions: "Be brief.",
      metadata: { app: "t" },
      output: [
        {
          type: "message",
          role: "assistant",
          status: "completed",
          content: [{ type: "output_text", text: "Hello! How can I help you today?", annotations: [] }],
        },
      ],
      usage: {
        input_tokens: 21,
        output_tokens: 9,
        total_tokens: 30,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens_details: { reasoning_tokens: 0 },
      },
    });
    expect(body.id).toMatch(/^resp_[0-9a-f]{48}$/);
    // Readable at once, before anything in waitUntil ran.
    const stored = await read(anthropic, String(body.id));
    expect(stored.status).toBe(200);
    expect(await stored.json()).toEqual(body);
    const row = (await loggedRow(trace)) as unknown as Record<string, unknown>;
    expect(row).toMatchObject({
      operation: "responses",
      provider: "anthropic",
      prompt_tokens: 21,
      completion_tokens: 9,
      status: 200,
    });
    expect(row.cost_usd).toBeGreaterThan(0);
  });

  it("streams the typed events in order with increasing sequence numbers, from Anthropic bytes split awkwardly", async () => {
    record(ANTHROPIC, () => sse(chunkedBody(anthropicTextStream, [3, 40, 41, 200, 333])));
    const res = await responses(anthropic, { model: "claude-sonnet-4-5", input: "Hi", stream: true });
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const got = events(await res.text());
    for (const event of got) expect(event.name).toBe(event.data.type);
    expect(got.map((event) => event.data.sequence_number)).toEqual(got.map((_, i) => i));
    expect(got.map((event) => event.data.type)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    const completed = got.at(-1)?.data.response as Record<string, unknown>;
    expect(completed).toMatchObject({ status: "completed", usage: { input_tokens: 25, output_tokens: 15 } });
    expect(got[6]?.data.text).toBe("Hello! How can I help?");
    const stored = await storedEventually(anthropic, String(completed.id));
    expect(stored).toMatchObject({ id: completed.id, status: "completed" });
  });

  it("a stream cut mid-way ends with error and response.failed, and is not stored", async () => {
    record(ANTHROPIC, () => sse(anthropicCutStream));
    const trace = uniqueTrace("responses-cut");
    const res = await responses(
      { ...anthropic, "x-portkey-trace-id": trace },
      { model: "claude-sonnet-4-5", input: "Hi", stream: true },
    );
    const got = events(await res.text());
    expect(got.slice(-2).map((event) => event.data.type)).toEqual(["error", "response.failed"]);
    const failed = got.at(-1)?.data.response as Record<string, unknown>;
    expect(failed).toMatchObject({ status: "failed", error: { code: "upstream_stream_incomplete" } });
    const row = (await loggedRow(trace)) as unknown as Record<string, unknown>;
    expect(row.stream_error).toBeTruthy();
    expect((await read(anthropic, String(failed.id))).status).toBe(404);
  });

  it("400 in OpenAI's envelope naming the field; hosted tools refused for Anthropic naming the tool", async () => {
    const bad = await responses(anthropic, {
      model: "claude-sonnet-4-5",
      input: [{ role: "user", content: [{ type: "input_text" }] }],
    });
    expect(bad.status).toBe(400);
    expect(await json(bad)).toMatchObject({
      error: { type: "invalid_request_error", param: "input[0].content[0].text" },
    });
    const hosted = await responses(anthropic, {
      model: "claude-sonnet-4-5",
      input: "Hi",
      tools: [{ type: "web_search" }],
    });
    expect(hosted.status).toBe(400);
    expect(await json(hosted)).toMatchObject({ error: { param: "tools[0]" } });
    const unknown = await responses(anthropic, {
      model: "claude-sonnet-4-5",
      input: "Hi",
      previous_response_id: "resp_nope",
    });
    expect(unknown.status).toBe(404);
    expect(await json(unknown)).toMatchObject({ error: { param: "previous_response_id", type: "not_found_error" } });
  });
});

describe("/v1/responses and the cache", () => {
  it("a repeated request is a HIT answered as a new response (stored too); the provider is called once", async () => {
    const seen = record(ANTHROPIC, () => HttpResponse.json(textMessage));
    const ns = `responses-${crypto.randomUUID()}`;
    const config = JSON.stringify({
      provider: "anthropic",
      api_key: "sk-ant-test-responses-0001",
      cache: { mode: "simple", max_age: 600 },
    });
    const headers = {
      "x-portkey-config": config,
      "x-portkey-cache-namespace": ns,
      authorization: anthropic.authorization,
    };
    const body = { model: "claude-sonnet-4-5", input: "Cache me" };
    const first = await responses(headers, body);
    expect(first.headers.get("x-portkey-cache-status")).toBe("MISS");
    const firstBody = await json(first);
    let second: Response | undefined;
    for (let i = 0; i < 50; i++) {
      second = await responses(headers, body);
      if (second.headers.get("x-portkey-cache-status") === "HIT") break;
      await sleep(50);
    }
    expect(second?.headers.get("x-portkey-cache-status")).toBe("HIT");
    const secondBody = await json(second as Response);
    expect(secondBody).toMatchObject({
      object: "response",
      output: [{ content: [{ text: "Hello! How can I help you today?" }] }],
    });
    expect(secondBody.id).not.toBe(firstBody.id);
    expect(seen).toHaveLength(1);
    expect((await read(anthropic, String(secondBody.id))).status).toBe(200);
  });
});

describe("/v1/responses to Gemini", () => {
  it("streams function_call items with argument deltas", async () => {
    record(`${GEMINI}:streamGenerateContent`, () => sse(chunkedBody(geminiToolStream, [5, 100, 101])));
    const res = await responses(google, {
      model: "gemini-2.5-flash",
      input: "Weather and time?",
      tools: [weather],
      stream: true,
    });
    const got = events(await res.text());
    const types = got.map((event) => event.data.type);
    expect(types.filter((type) => type === "response.output_item.added")).toHaveLength(3);
    expect(types).toContain("response.function_call_arguments.delta");
    const done = got
      .filter((event) => event.data.type === "response.function_call_arguments.done")
      .map((event) => [event.data.name, event.data.arguments]);
    expect(done).toEqual([
      ["get_weather", '{"city":"Paris"}'],
      ["get_time", '{"timezone":"Europe/London"}'],
    ]);
    const completed = got.at(-1)?.data.response as {
      output: Array<Record<string, unknown>>;
      usage: Record<string, unknown>;
    };
    expect(completed.output.map((item) => item.type)).toEqual(["message", "function_call", "function_call"]);
    expect(completed.usage).toMatchObject({ input_tokens: 118, output_tokens_details: { reasoning_tokens: 84 } });
  });
});

describe("stored responses and previous_response_id", () => {
  it("a tool round trip starts on Anthropic and continues on Gemini with the rebuilt conversation", async () => {
    record(ANTHROPIC, () => HttpResponse.json(toolUseMessage));
    const first = await json(
      await responses(anthropic, {
        model: "claude-sonnet-4-5",
        instructions: "Use tools.",
        input: "Weather in Paris?",
        tools: [weather],
      }),
    );
    const call = (first.output as Array<Record<string, unknown>>).find((item) => item.type === "function_call");
    expect(call).toMatchObject({ type: "function_call", status: "completed" });
    const geminiSeen = record(`${GEMINI}:generateContent`, () =>
      HttpResponse.json({
        candidates: [{ content: { role: "model", parts: [{ text: "Sunny." }] }, finishReason: "STOP", index: 0 }],
        usageMetadata: { promptTokenCount: 50, candidatesTokenCount: 2, totalTokenCount: 52 },
        modelVersion: "gemini-2.5-flash",
      }),
    );
    // Same credential header value: passthrough tenants are the credential the client presents.
    const second = await responses(
      { ...google, authorization: anthropic.authorization },
      {
        model: "gemini-2.5-flash",
        previous_response_id: first.id,
        input: [{ type: "function_call_output", call_id: call?.call_id, output: "18C, sunny" }],
        tools: [weather],
      },
    );
    expect(second.status).toBe(200);
    const sent = JSON.parse(geminiSeen[0]?.text ?? "") as {
      contents: Array<{ role: string; parts: Array<Record<string, unknown>> }>;
      systemInstruction?: unknown;
    };
    expect(sent.systemInstruction).toBeUndefined(); // instructions do not carry over, as on OpenAI
    expect(sent.contents.map((content) => content.role)).toEqual(["user", "model", "user"]);
    expect(sent.contents[1]?.parts.some((part) => "functionCall" in part)).toBe(true);
    expect(sent.contents[2]?.parts[0]).toMatchObject({ functionResponse: { name: "get_weather" } });
    const body = await json(second);
    expect(body).toMatchObject({ previous_response_id: first.id, output: [{ content: [{ text: "Sunny." }] }] });
  });

  it("continues an Anthropic conversation on OpenAI by sending the history as input", async () => {
    record(ANTHROPIC, () => HttpResponse.json(textMessage));
    const first = await json(await responses(anthropic, { model: "claude-sonnet-4-5", input: "Hi" }));
    const seen = record(OPENAI, () => HttpResponse.json(openaiResponse));
    const res = await responses(
      { ...openai, authorization: anthropic.authorization },
      { model: "gpt-4.1", previous_response_id: first.id, input: "And then?" },
    );
    expect(res.status).toBe(200);
    const sent = JSON.parse(seen[0]?.text ?? "") as Record<string, unknown>;
    expect(sent.previous_response_id).toBeUndefined();
    expect(sent.input).toEqual([
      { type: "message", role: "user", content: [{ type: "input_text", text: "Hi" }] },
      {
        type: "message",
        role: "assistant",
        content: [{ type: "output_text", text: "Hello! How can I help you today?", annotations: [], logprobs: [] }],
      },
      { type: "message", role: "user", content: [{ type: "input_text", text: "And then?" }] },
    ]);
  });

  it("lists input items (order, limit, after) and deletes", async () => {
    record(ANTHROPIC, () => HttpResponse.json(textMessage));
    const input = [
      { role: "user", content: "one" },
      { role: "assistant", content: "two" },
      { role: "user", content: "three" },
    ];
    const created = await json(await responses(anthropic, { model: "claude-sonnet-4-5", input }));
    const id = String(created.id);
    const desc = await json(await read(anthropic, `${id}/input_items?limit=2`));
    expect(desc).toMatchObject({ object: "list", has_more: true, data: [{ content: "three" }, { content: "two" }] });
    const next = await json(await read(anthropic, `${id}/input_items?limit=2&after=${String(desc.last_id)}`));
    expect(next).toMatchObject({ has_more: false, data: [{ content: "one", type: "message" }] });
    const asc = await json(await read(anthropic, `${id}/input_items?order=asc`));
    expect((asc.data as Array<{ id: string }>).every((item) => item.id.startsWith("msg_"))).toBe(true);
    const deleted = await read(anthropic, id, "DELETE");
    expect(await deleted.json()).toEqual({ id, object: "response.deleted", deleted: true });
    expect((await read(anthropic, id)).status).toBe(404);
    expect((await read(anthropic, `${id}/input_items`)).status).toBe(404);
  });

  it("store: false keeps nothing", async () => {
    record(ANTHROPIC, () => HttpResponse.json(textMessage));
    const created = await json(await responses(anthropic, { model: "claude-sonnet-4-5", input: "Hi", store: false }));
    expect(created.store).toBe(false);
    expect((await read(anthropic, String(created.id))).status).toBe(404);
  });

  it("another gateway key (and another passthrough credential) gets 404", async () => {
    record(ANTHROPIC, () => HttpResponse.json(textMessage));
    const vk = await createVirtualKey({ provider: "anthropic", api_key: "sk-ant-vault-tenant-0001" });
    const owner = await createKey();
    const other = await createKey();
    const off = { PASSTHROUGH_MODE: "false" } as Partial<Env>;
    const created = await withEnv(off, {
      path: "/v1/responses",
      headers: { ...bearer(owner.key), "x-portkey-virtual-key": vk.slug },
      body: { model: "claude-sonnet-4-5", input: "Hi" },
    });
    expect(created.status).toBe(200);
    const id = String((await json(created)).id);
    expect(
      (await withEnv(off, { path: `/v1/responses/${id}`, method: "GET", headers: bearer(owner.key) })).status,
    ).toBe(200);
    const stolen = await withEnv(off, { path: `/v1/responses/${id}`, method: "GET", headers: bearer(other.key) });
    expect(stolen.status).toBe(404);
    expect(
      (await withEnv(off, { path: `/v1/responses/${id}`, method: "DELETE", headers: bearer(other.key) })).status,
    ).toBe(404);
    const continued = await withEnv(off, {
      path: "/v1/responses",
      headers: { ...bearer(other.key), "x-portkey-virtual-key": vk.slug },
      body: { model: "claude-sonnet-4-5", input: "Hi", previous_response_id: id },
    });
    expect(continued.status).toBe(404);
    // Passthrough: another provider key is another tenant.
    const mine = await json(await responses(anthropic, { model: "claude-sonnet-4-5", input: "Hi" }));
    expect((await read({ authorization: "Bearer sk-ant-someone-else" }, String(mine.id))).status).toBe(404);
  });
});

describe("/v1/responses to OpenAI (native passthrough)", () => {
  it("forwards the client's bytes to /v1/responses and returns OpenAI's answer as it came, stored and logged", async () => {
    const seen = record(OPENAI, () => HttpResponse.json(openaiResponse));
    const text =
      '{"model":"gpt-4.1",  "input":[{"type":"web_search_call","id":"ws_1","status":"completed"}],"tools":[{"type":"web_search"}]}';
    const trace = uniqueTrace("responses-native");
    const res = await gateway({
      path: "/v1/responses",
      headers: { ...openai, "x-portkey-trace-id": trace },
      body: text,
    });
    expect(res.status).toBe(200);
    expect(seen[0]?.text).toBe(text);
    expect(await res.json()).toEqual(openaiResponse);
    expect(await json(await read(openai, openaiResponse.id))).toEqual(openaiResponse);
    const row = (await loggedRow(trace)) as unknown as Record<string, unknown>;
    expect(row).toMatchObject({
      operation: "responses",
      provider: "openai",
      prompt_tokens: 36,
      completion_tokens: 87,
      cached_tokens: 12,
      reasoning_tokens: 64,
    });
  });

  it("passes the stream through byte for byte and records its usage; a previous OpenAI response stays OpenAI's", async () => {
    record(OPENAI, () => sse(chunkedBody(openaiStream, [10, 500, 501])));
    const trace = uniqueTrace("responses-native-stream");
    const res = await responses(
      { ...openai, "x-portkey-trace-id": trace },
      { model: "gpt-4.1", input: "Tell me", stream: true },
    );
    expect(await res.text()).toBe(openaiStream);
    const row = (await loggedRow(trace)) as unknown as Record<string, unknown>;
    expect(row).toMatchObject({ operation: "responses", stream: 1, prompt_tokens: 36, completion_tokens: 87 });
    await storedEventually(openai, openaiResponse.id);
    const seen = record(OPENAI, () => HttpResponse.json(openaiResponse));
    const body = JSON.stringify({ model: "gpt-4.1", input: "More", previous_response_id: openaiResponse.id });
    await gateway({ path: "/v1/responses", headers: openai, body });
    expect(seen[0]?.text).toBe(body);
  });
});

describe("retention", () => {
  it("stores with the configured retention (30 days by default) and an expired response reads as 404 before the sweep", async () => {
    record(ANTHROPIC, () => HttpResponse.json(textMessage));
    const day = 86_400_000;
    const expiry = async (id: string) => {
      const row = await env.DB.prepare("SELECT created_at, expires_at FROM stored_responses WHERE id = ?")
        .bind(id)
        .first<{ created_at: number; expires_at: number }>();
      return row ? row.expires_at - row.created_at : null;
    };
    const byDefault = await json(await responses(anthropic, { model: "claude-sonnet-4-5", input: "Hi" }));
    expect(await expiry(String(byDefault.id))).toBe(30 * day);
    const short = await withEnv({ STORED_RESPONSES_RETENTION_DAYS: "2" } as Partial<Env>, {
      path: "/v1/responses",
      headers: anthropic,
      body: { model: "claude-sonnet-4-5", input: "Hi" },
    });
    const shortId = String((await json(short)).id);
    expect(await expiry(shortId)).toBe(2 * day);
    await env.DB.prepare("UPDATE stored_responses SET expires_at = ? WHERE id = ?")
      .bind(Date.now() - 1, shortId)
      .run();
    expect((await read(anthropic, shortId)).status).toBe(404);
  });

  it("the scheduled handler deletes expired responses and keeps the others", async () => {
    const now = Date.now();
    const insert = (id: string, expires: number) =>
      env.DB.prepare(
        "INSERT INTO stored_responses (scope, id, created_at, expires_at, provider, native, previous_response_id, context, input_items, response) VALUES ('s', ?, ?, ?, 'anthropic', 0, NULL, '[]', '[]', '{}')",
      )
        .bind(id, now - 1000, expires)
        .run();
    await insert("resp_expired", now - 1);
    await insert("resp_kept", now + 60_000);
    await worker.scheduled(createScheduledController({ scheduledTime: now, cron: "17 * * * *" }), env);
    const { results } = await env.DB.prepare("SELECT id FROM stored_responses WHERE scope = 's' ORDER BY id").all<{
      id: string;
    }>();
    expect(results.map((row) => row.id)).toEqual(["resp_kept"]);
  });
});
