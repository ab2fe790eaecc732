import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { estimateTokens } from "../../schema/pricing";
import { brokenBody, chunkedBody, gateway, upstream, useFakeUpstreams } from "./harness";
import { chunk, chunkBase, completion, OPENAI, serveSse, sse } from "./observability-fakes";
import { loggedRow, uniqueTrace } from "./observability-helpers";

useFakeUpstreams();

/** Exactly one log row per /v1 request, whatever happened, delivered through the real queue into D1. */

const GROQ = "https://api.groq.com/openai/v1/chat/completions";
const chat = { model: "gpt-4o-mini", messages: [{ role: "user", content: "Hi there" }] };
const headersFor = (trace: string, extra: Record<string, string> = {}) => ({
  "x-portkey-provider": "openai",
  authorization: "Bearer sk-test-logging-key-0000",
  "x-portkey-trace-id": trace,
  ...extra,
});

async function call(trace: string, body: unknown = chat, extra: Record<string, string> = {}, path?: string) {
  const res = await gateway({ path, headers: headersFor(trace, extra), body });
  await res.text();
  return res;
}

describe("one log row per request", { timeout: 30_000 }, () => {
  it("success: tokens, cached tokens and cost from the price table", async () => {
    upstream.use(
      http.post(OPENAI, () =>
        HttpResponse.json(
          completion({
            prompt_tokens: 1000,
            completion_tokens: 50,
            total_tokens: 1050,
            prompt_tokens_details: { cached_tokens: 400 },
          }),
        ),
      ),
    );
    const trace = uniqueTrace("success");
    const res = await call(trace, chat, { "x-portkey-metadata": JSON.stringify({ _user: "alice", team: "search" }) });
    expect(res.status).toBe(200);
    const row = await loggedRow(trace);
    expect(row).toMatchObject({
      status: 200,
      is_error: 0,
      provider: "openai",
      model: "gpt-4o-mini",
      user: "alice",
      stream: 0,
    });
    expect(row).toMatchObject({
      prompt_tokens: 1000,
      completion_tokens: 50,
      cached_tokens: 400,
      tokens_estimated: 0,
      cost_unpriced: 0,
      priced_as: "openai/gpt-4o-mini",
    });
    // gpt-4o-mini: 600 uncached * 1.5e-7 + 400 cached * 7.5e-8 + 50 out * 6e-7
    expect(row.cost_usd).toBeCloseTo(600 * 1.5e-7 + 400 * 7.5e-8 + 50 * 6e-7, 12);
    expect(JSON.parse(row.metadata)).toEqual({ _user: "alice", team: "search" });
    expect(row.request_body).toBeNull(); // bodies are off unless LOG_BODIES or the key says so
  });

  it("upstream error: the provider's status and error type, no cost", async () => {
    upstream.use(
      http.post(OPENAI, () =>
        HttpResponse.json({ error: { message: "The server had an error", type: "server_error" } }, { status: 500 }),
      ),
    );
    const trace = uniqueTrace("upstream-error");
    expect((await call(trace)).status).toBe(500);
    const row = await loggedRow(trace);
    expect(row).toMatchObject({
      status: 500,
      is_error: 1,
      error_type: "server_error",
      error_message: "The server had an error",
      cost_usd: 0,
      prompt_tokens: 0,
    });
    expect(JSON.parse(row.attempts)).toMatchObject([{ provider: "openai", status: 500 }]);
  });

  it("rate limited upstream (429)", async () => {
    upstream.use(
      http.post(OPENAI, () =>
        HttpResponse.json(
          { error: { message: "Rate limit reached", type: "requests", code: "rate_limit_exceeded" } },
          { status: 429 },
        ),
      ),
    );
    const trace = uniqueTrace("rate-limited");
    expect((await call(trace)).status).toBe(429);
    expect(await loggedRow(trace)).toMatchObject({ status: 429, is_error: 1 });
  });

  it("validation errors: a bad body and bad JSON, before any provider call", async () => {
    const trace = uniqueTrace("validation");
    expect((await call(trace, { model: "gpt-4o-mini" })).status).toBe(400);
    // Refused before any call, but its one target is known: the row says which provider it was for.
    expect(await loggedRow(trace)).toMatchObject({
      status: 400,
      is_error: 1,
      error_type: "invalid_request_error",
      provider: "openai",
      cost_usd: 0,
      tokens_estimated: 0,
    });
    const badJson = uniqueTrace("bad-json");
    expect((await call(badJson, "{not json")).status).toBe(400);
    expect((await loggedRow(badJson)).error_message).toMatch(/not valid JSON/);
  });

  it("a 404 under /v1", async () => {
    const trace = uniqueTrace("not-found");
    expect((await call(trace, chat, {}, "/v1/nope")).status).toBe(404);
    expect(await loggedRow(trace)).toMatchObject({ status: 404, is_error: 1, provider: null });
  });

  it("fallback: one row with the whole attempt trail and the path that answered", async () => {
    upstream.use(
      http.post(OPENAI, () => HttpResponse.json({ error: { message: "overloaded" } }, { status: 503 })),
      http.post(GROQ, () =>
        HttpResponse.json(
          completion({ prompt_tokens: 20, completion_tokens: 5, total_tokens: 25 }, "llama-3.3-70b-versatile"),
        ),
      ),
    );
    const config = {
      strategy: { mode: "fallback" },
      targets: [
        { provider: "openai", api_key: "sk-openai-target-key-1111" },
        {
          provider: "groq",
          api_key: "gsk-groq-target-key-2222",
          override_params: { model: "llama-3.3-70b-versatile" },
        },
      ],
    };
    const trace = uniqueTrace("fallback");
    expect((await call(trace, chat, { "x-portkey-config": JSON.stringify(config) })).status).toBe(200);
    const row = await loggedRow(trace);
    expect(row).toMatchObject({ status: 200, provider: "groq", model: "llama-3.3-70b-versatile", is_error: 0 });
    expect(JSON.parse(row.attempts)).toMatchObject([
      { target: "config.targets[0]", provider: "openai", status: 503 },
      { target: "config.targets[1]", provider: "groq", status: 200 },
    ]);
  });

  it("keeps an incoming W3C traceparent", async () => {
    upstream.use(
      http.post(OPENAI, () =>
        HttpResponse.json(completion({ prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 })),
      ),
    );
    const trace = uniqueTrace("traceparent");
    await call(trace, chat, { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" });
    expect(await loggedRow(trace)).toMatchObject({
      parent_trace_id: "0af7651916cd43dd8448eb211c80319c",
      parent_span_id: "b7ad6b7169203331",
    });
  });
});

describe("one log row per streamed request", { timeout: 30_000 }, () => {
  const usage = {
    prompt_tokens: 11,
    completion_tokens: 4,
    total_tokens: 15,
    prompt_tokens_details: { cached_tokens: 0 },
  };
  const streamBody = { ...chat, stream: true };

  it("a stream: tokens and cost from the usage chunk the gateway asked for", async () => {
    serveSse(OPENAI, () =>
      chunkedBody(
        sse([
          chunk({ role: "assistant", content: "" }),
          chunk({ content: "Hello" }),
          chunk({}, "stop"),
          { ...chunkBase, choices: [], usage },
        ]),
        [7, 50],
      ),
    );
    const trace = uniqueTrace("stream");
    await call(trace, streamBody);
    const row = await loggedRow(trace);
    expect(row).toMatchObject({
      status: 200,
      stream: 1,
      stream_error: null,
      is_error: 0,
      prompt_tokens: 11,
      completion_tokens: 4,
      tokens_estimated: 0,
    });
    expect(row.cost_usd).toBeCloseTo(11 * 1.5e-7 + 4 * 6e-7, 12);
  });

  it("a stream without usage: tokens estimated and marked so", async () => {
    serveSse(OPENAI, () =>
      chunkedBody(
        sse([chunk({ role: "assistant", content: "" }), chunk({ content: "Hello there" }), chunk({}, "stop")]),
      ),
    );
    const trace = uniqueTrace("stream-no-usage");
    await call(trace, streamBody);
    const row = await loggedRow(trace);
    expect(row).toMatchObject({ tokens_estimated: 1, prompt_tokens: estimateTokens("Hi there"), cost_unpriced: 0 });
    expect(row.cost_usd).toBeGreaterThan(0);
  });

  it("a stream cut mid-way: an error row with the stream error, tokens estimated", async () => {
    serveSse(OPENAI, () =>
      brokenBody(sse([chunk({ role: "assistant", content: "" }), chunk({ content: "Hel" })], false)),
    );
    const trace = uniqueTrace("cut");
    await call(trace, streamBody);
    const row = await loggedRow(trace);
    expect(row).toMatchObject({ status: 200, stream: 1, is_error: 1, error_type: "stream_error", tokens_estimated: 1 });
    expect(row.stream_error).toMatch(/connection reset/);
  });

  it("a client that hangs up mid-stream: one row, an abort and not an error", async () => {
    const encoder = new TextEncoder();
    serveSse(OPENAI, () => {
      let i = 0;
      return new ReadableStream<Uint8Array>({
        async pull(controller) {
          // An endless answer, one chunk every 20 ms, until the gateway stops reading it.
          await new Promise((resolve) => setTimeout(resolve, i === 0 ? 0 : 20));
          controller.enqueue(encoder.encode(sse([chunk({ content: `tok${i++} ` })], false)));
        },
      });
    });
    const trace = uniqueTrace("abort");
    const res = await gateway({ headers: headersFor(trace), body: streamBody });
    const reader = res.body?.getReader();
    if (!reader) throw new Error("no body");
    await reader.read();
    await reader.cancel();
    const row = await loggedRow(trace);
    expect(row).toMatchObject({
      status: 200,
      stream: 1,
      is_error: 0,
      error_type: "client_abort",
      stream_error: "client closed the stream",
    });
  });
});
