import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { cachedMessage, errorBodies } from "../fixtures/anthropic/messages";
import { overloadedStream, parallelToolStream } from "../fixtures/anthropic/streams";
import { cutStream as geminiCut, toolStream as geminiTools } from "../fixtures/google/streams";
import { chunkedBody, gateway, sseData, upstream, useFakeUpstreams } from "./harness";

useFakeUpstreams();

const ANTHROPIC = "https://api.anthropic.com/v1/messages";
const GEMINI = "https://generativelanguage.googleapis.com/v1beta/models/gemini-3-flash-preview";
const anthropicHeaders = { "x-portkey-provider": "anthropic", authorization: "Bearer sk-ant-test" };
const googleHeaders = { "x-portkey-provider": "google", authorization: "Bearer AIza-test" };
const tools = [
  {
    type: "function",
    function: { name: "get_weather", parameters: { type: "object", properties: { location: { type: "string" } } } },
  },
  {
    type: "function",
    function: { name: "get_time", parameters: { type: "object", properties: { timezone: { type: "string" } } } },
  },
];
const ask = (model: string, extra: object = {}) => ({
  model,
  messages: [
    { role: "system", content: "Be brief." },
    { role: "user", content: "Weather and time?" },
  ],
  ...extra,
});

interface ToolCallDelta {
  index: number;
  id?: string;
  function?: { name?: string; arguments?: string };
}
interface Chunk {
  choices: Array<{ delta: { content?: string; tool_calls?: ToolCallDelta[] }; finish_reason: string | null }>;
  usage?: { prompt_tokens: number; completion_tokens: number; prompt_tokens_details?: { cached_tokens?: number } };
}

/** Accumulate tool calls the way OpenAI clients do: by index, concatenating argument deltas. */
function collect(chunks: Chunk[]) {
  const calls: Array<{ id: string; name: string; arguments: string }> = [];
  let text = "";
  for (const chunk of chunks) {
    for (const choice of chunk.choices) {
      text += choice.delta.content ?? "";
      for (const delta of choice.delta.tool_calls ?? []) {
        const call = (calls[delta.index] ??= { id: "", name: "", arguments: "" });
        call.id ||= delta.id ?? "";
        call.name ||= delta.function?.name ?? "";
        call.arguments += delta.function?.arguments ?? "";
      }
    }
  }
  return { text, calls, finish: chunks.flatMap((c) => c.choices).at(-1)?.finish_reason, usage: chunks.at(-1)?.usage };
}

describe("anthropic through the gateway", () => {
  it("translates the request and the response, usage with OpenAI cache semantics", async () => {
    let seen: { headers: Headers; body: Record<string, unknown> } | undefined;
    upstream.use(
      http.post(ANTHROPIC, async ({ request }) => {
        seen = { headers: request.headers, body: (await request.json()) as Record<string, unknown> };
        return HttpResponse.json(cachedMessage);
      }),
    );
    const res = await gateway({ headers: anthropicHeaders, body: ask("claude-sonnet-4-5") });
    expect(res.status).toBe(200);
    expect(seen?.headers.get("x-api-key")).toBe("sk-ant-test");
    expect(seen?.headers.get("anthropic-version")).toBe("2023-06-01");
    expect(seen?.body).toMatchObject({
      model: "claude-sonnet-4-5",
      system: "Be brief.",
      max_tokens: 4096,
      messages: [{ role: "user" }],
    });
    const body = (await res.json()) as { object: string; choices: unknown[]; usage: unknown };
    expect(body.object).toBe("chat.completion");
    expect(body.usage).toEqual({
      prompt_tokens: 50 + 1200 + 3000,
      completion_tokens: 40,
      total_tokens: 4290,
      prompt_tokens_details: { cached_tokens: 3000 },
      cache_creation_input_tokens: 1200,
    });
  });

  it("streams parallel tool calls split at every byte boundary into stable OpenAI deltas", async () => {
    const bytes = new TextEncoder().encode(parallelToolStream).length;
    let expected: ReturnType<typeof collect> | undefined;
    for (let cut = 1; cut < bytes; cut += 3) {
      upstream.use(
        http.post(
          ANTHROPIC,
          () =>
            new HttpResponse(chunkedBody(parallelToolStream, [cut, cut + 1]), {
              headers: { "content-type": "text/event-stream" },
            }),
        ),
      );
      const data = await sseData(
        await gateway({
          headers: anthropicHeaders,
          body: ask("claude-sonnet-4-5", { tools, stream: true, stream_options: { include_usage: true } }),
        }),
      );
      expect(data.at(-1), `cut ${cut}`).toBe("[DONE]");
      const result = collect(data.slice(0, -1).map((d) => JSON.parse(d) as Chunk));
      expected ??= result;
      expect(result, `cut ${cut}`).toEqual(expected);
      upstream.resetHandlers();
    }
    expect(expected).toEqual({
      text: "Checking both cities.",
      calls: [
        { id: "toolu_01T1x1fJ34qAmk2tNTrN7Up6", name: "get_weather", arguments: '{"location": "San Francisco, CA"}' },
        { id: "toolu_02U2y2gK45rBnl3uOUsO8Vq7", name: "get_time", arguments: '{"timezone": "America/New_York"}' },
      ],
      finish: "tool_calls",
      usage: {
        prompt_tokens: 2572,
        completion_tokens: 89,
        total_tokens: 2661,
        prompt_tokens_details: { cached_tokens: 2000 },
        cache_creation_input_tokens: 100,
      },
    });
  }, 120_000);

  it("an overloaded error event mid-stream reaches the client as an error event, not [DONE]", async () => {
    upstream.use(
      http.post(
        ANTHROPIC,
        () => new HttpResponse(chunkedBody(overloadedStream), { headers: { "content-type": "text/event-stream" } }),
      ),
    );
    const data = await sseData(
      await gateway({ headers: anthropicHeaders, body: ask("claude-sonnet-4-5", { stream: true }) }),
    );
    expect(data).not.toContain("[DONE]");
    expect(JSON.parse(data.at(-1) ?? "{}").error).toMatchObject({ type: "overloaded_error" });
  });

  it("keeps Anthropic's status and message for an error", async () => {
    upstream.use(
      http.post(
        ANTHROPIC,
        () =>
          new HttpResponse(errorBodies.overloaded, { status: 529, headers: { "content-type": "application/json" } }),
      ),
    );
    const res = await gateway({ headers: anthropicHeaders, body: ask("claude-sonnet-4-5") });
    expect(res.status).toBe(529);
    expect(((await res.json()) as { error: unknown }).error).toEqual({
      message: "Overloaded",
      type: "overloaded_error",
      code: null,
      param: null,
    });
  });

  it("refuses n > 1 with a 400 naming n", async () => {
    const res = await gateway({ headers: anthropicHeaders, body: ask("claude-sonnet-4-5", { n: 2 }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { param: string } }).error.param).toBe("n");
  });

  it("refuses embeddings with a 400", async () => {
    const res = await gateway({ path: "/v1/embeddings", headers: anthropicHeaders, body: { model: "m", input: "x" } });
    expect(res.status).toBe(400);
  });
});

describe("gemini through the gateway", () => {
  it("streams tool calls, asks for SSE with the key in a header, and strips usage when not asked", async () => {
    let url = "";
    let key: string | null = null;
    upstream.use(
      http.post(`${GEMINI}:streamGenerateContent`, ({ request }) => {
        url = request.url;
        key = request.headers.get("x-goog-api-key");
        return new HttpResponse(chunkedBody(geminiTools, [17, 18, 300]), {
          headers: { "content-type": "text/event-stream" },
        });
      }),
    );
    const data = await sseData(
      await gateway({ headers: googleHeaders, body: ask("gemini-3-flash-preview", { tools, stream: true }) }),
    );
    expect(url).toBe(`${GEMINI}:streamGenerateContent?alt=sse`);
    expect(key).toBe("AIza-test");
    expect(data.at(-1)).toBe("[DONE]");
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d) as Chunk);
    for (const chunk of chunks) expect(chunk).not.toHaveProperty("usage");
    const result = collect(chunks);
    expect(result.text).toBe("Let me check both.");
    expect(result.calls.map((c) => [c.name, JSON.parse(c.arguments)])).toEqual([
      ["get_weather", { city: "Paris" }],
      ["get_time", { timezone: "Europe/London" }],
    ]);
    expect(result.finish).toBe("tool_calls");
  });

  it("a Gemini stream without finishReason ends with an error event", async () => {
    upstream.use(
      http.post(
        `${GEMINI}:streamGenerateContent`,
        () => new HttpResponse(chunkedBody(geminiCut), { headers: { "content-type": "text/event-stream" } }),
      ),
    );
    const data = await sseData(
      await gateway({ headers: googleHeaders, body: ask("gemini-3-flash-preview", { stream: true }) }),
    );
    expect(data).not.toContain("[DONE]");
    expect(JSON.parse(data.at(-1) ?? "{}").error.code).toBe("upstream_stream_incomplete");
  });

  it("normalises Gemini's error envelope with its status", async () => {
    upstream.use(
      http.post(`${GEMINI}:generateContent`, () =>
        HttpResponse.json(
          {
            error: {
              code: 400,
              message: "API key not valid. Please pass a valid API key.",
              status: "INVALID_ARGUMENT",
            },
          },
          { status: 400 },
        ),
      ),
    );
    const res = await gateway({ headers: googleHeaders, body: ask("gemini-3-flash-preview") });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: unknown }).error).toEqual({
      message: "API key not valid. Please pass a valid API key.",
      type: "invalid_argument",
      code: "INVALID_ARGUMENT",
      param: null,
    });
  });

  it("translates embeddings, honouring encoding_format", async () => {
    upstream.use(
      http.post("https://generativelanguage.googleapis.com/v1beta/models/gemini-embedding-001:batchEmbedContents", () =>
        HttpResponse.json({ embeddings: [{ values: [0.5, -1] }] }),
      ),
    );
    const res = await gateway({
      path: "/v1/embeddings",
      headers: googleHeaders,
      body: { model: "gemini-embedding-001", input: "hi", encoding_format: "base64" },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: Array<{ embedding: string }> };
    const floats = new Float32Array(
      Uint8Array.from(atob(body.data[0]?.embedding ?? ""), (c) => c.charCodeAt(0)).buffer,
    );
    expect(Array.from(floats)).toEqual([0.5, -1]);
  });
});
