import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { embedAnswer, errorBodies, textAnswer } from "../fixtures/cohere/chat";
import { cutStream, textStream, toolStream } from "../fixtures/cohere/streams";
import { brokenBody, chunkedBody, gateway, sseData, upstream, useFakeUpstreams } from "./harness";
import { loggedRow, uniqueTrace } from "./observability-helpers";

useFakeUpstreams();

const COHERE = "https://api.cohere.com/v2/chat";
const cohereHeaders = { "x-portkey-provider": "cohere", authorization: "Bearer co-test-key-0000000000" };
const ask = (extra: object = {}) => ({
  model: "command-r",
  messages: [
    { role: "system", content: "Be brief." },
    { role: "user", content: "What is an LLM?" },
  ],
  ...extra,
});
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
const sseResponse = (body: ReadableStream<Uint8Array>) =>
  new HttpResponse(body, { headers: { "content-type": "text/event-stream" } });

interface Chunk {
  choices: Array<{
    delta: {
      content?: string;
      reasoning_content?: string;
      tool_calls?: Array<{ index: number; id?: string; function?: { name?: string; arguments?: string } }>;
    };
    finish_reason: string | null;
  }>;
  usage?: unknown;
}

function collect(data: string[]) {
  const chunks = data.filter((d) => d !== "[DONE]").map((d) => JSON.parse(d) as Chunk);
  const calls: Array<{ id: string; name: string; arguments: string }> = [];
  let text = "";
  for (const choice of chunks.flatMap((c) => c.choices)) {
    text += choice.delta.content ?? "";
    for (const delta of choice.delta.tool_calls ?? []) {
      const call = (calls[delta.index] ??= { id: "", name: "", arguments: "" });
      call.id ||= delta.id ?? "";
      call.name ||= delta.function?.name ?? "";
      call.arguments += delta.function?.arguments ?? "";
    }
  }
  return { text, calls, finish: chunks.flatMap((c) => c.choices).at(-1)?.finish_reason, usage: chunks.at(-1)?.usage };
}

describe("cohere v2 through the gateway", { timeout: 120_000 }, () => {
  it("chat: Cohere's wire request with the bearer key; OpenAI answer with billed usage; cost logged from the price table", async () => {
    let seen: { auth: string | null; body: unknown } | undefined;
    upstream.use(
      http.post(COHERE, async ({ request }) => {
        seen = { auth: request.headers.get("authorization"), body: await request.json() };
        return HttpResponse.json(textAnswer);
      }),
    );
    const trace = uniqueTrace("cohere-cost");
    const res = await gateway({
      headers: { ...cohereHeaders, "x-portkey-trace-id": trace },
      body: ask({ max_tokens: 50 }),
    });
    expect(res.status).toBe(200);
    expect(seen).toEqual({
      auth: "Bearer co-test-key-0000000000",
      body: {
        model: "command-r",
        max_tokens: 50,
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "What is an LLM?" },
        ],
      },
    });
    const body = (await res.json()) as { choices: Array<{ message: { content: string } }>; usage: unknown };
    expect(body.choices[0]?.message.content).toBe("LLMs are neural networks trained on large text corpora.");
    expect(body.usage).toEqual({ prompt_tokens: 17, completion_tokens: 12, total_tokens: 29 });
    const row = await loggedRow(trace);
    expect(row).toMatchObject({
      provider: "cohere",
      prompt_tokens: 17,
      completion_tokens: 12,
      cost_unpriced: 0,
      priced_as: "cohere/command-r",
    });
    expect(row.cost_usd).toBeCloseTo(17 * 1.5e-7 + 12 * 6e-7, 12);
  });

  it("a tool stream split at awkward byte boundaries gives the same OpenAI deltas every time", async () => {
    const bytes = new TextEncoder().encode(toolStream).length;
    let expected: ReturnType<typeof collect> | undefined;
    for (let cut = 1; cut < bytes; cut += 7) {
      upstream.use(http.post(COHERE, () => sseResponse(chunkedBody(toolStream, [cut, cut + 1, cut + 3]))));
      const data = await sseData(
        await gateway({
          headers: cohereHeaders,
          body: ask({ tools, stream: true, stream_options: { include_usage: true } }),
        }),
      );
      expect(data.at(-1), `cut ${cut}`).toBe("[DONE]");
      const result = collect(data);
      expected ??= result;
      expect(result, `cut ${cut}`).toEqual(expected);
      upstream.resetHandlers();
    }
    expect(expected).toEqual({
      text: "",
      calls: [
        { id: "get_weather_nsz5zm3w56q3", name: "get_weather", arguments: '{"location":"Toronto"}' },
        { id: "get_time_2kq8w1", name: "get_time", arguments: '{"timezone":"America/Toronto"}' },
      ],
      finish: "tool_calls",
      usage: { prompt_tokens: 37, completion_tokens: 40, total_tokens: 77 },
    });
  });

  it("a text stream with a multi-byte character split inside it; no usage chunk unless asked", async () => {
    const at = new TextEncoder().encode(textStream.slice(0, textStream.indexOf("☕"))).length + 1;
    upstream.use(http.post(COHERE, () => sseResponse(chunkedBody(textStream, [at]))));
    const data = await sseData(await gateway({ headers: cohereHeaders, body: ask({ stream: true }) }));
    expect(collect(data)).toMatchObject({ text: "Coca-Cola is a soft drink. ☕", finish: "stop", usage: undefined });
  });

  it("a stream that closes before message-end, or breaks, ends with an error event and never [DONE]", async () => {
    for (const body of [() => chunkedBody(cutStream), () => brokenBody(cutStream)]) {
      upstream.use(http.post(COHERE, () => sseResponse(body())));
      const data = await sseData(await gateway({ headers: cohereHeaders, body: ask({ stream: true }) }));
      expect(data).not.toContain("[DONE]");
      expect(JSON.parse(data.at(-1) ?? "{}")).toHaveProperty("error");
      upstream.resetHandlers();
    }
  });

  it("errors keep Cohere's status and message in the OpenAI envelope", async () => {
    upstream.use(
      http.post(
        COHERE,
        () =>
          new HttpResponse(errorBodies.rateLimited, { status: 429, headers: { "content-type": "application/json" } }),
      ),
    );
    const res = await gateway({ headers: cohereHeaders, body: ask() });
    expect(res.status).toBe(429);
    expect(await res.json()).toEqual({
      error: {
        message: "You are using a Trial key, which is limited to 20 API calls / minute.",
        type: "rate_limit_error",
        code: null,
        param: null,
      },
    });
  });

  it("embeddings through /v2/embed", async () => {
    let sent: unknown;
    upstream.use(
      http.post("https://api.cohere.com/v2/embed", async ({ request }) => {
        sent = await request.json();
        return HttpResponse.json(embedAnswer);
      }),
    );
    const res = await gateway({
      path: "/v1/embeddings",
      headers: cohereHeaders,
      body: { model: "embed-v4.0", input: ["hello", "goodbye"] },
    });
    expect(res.status).toBe(200);
    expect(sent).toEqual({
      model: "embed-v4.0",
      texts: ["hello", "goodbye"],
      input_type: "search_document",
      embedding_types: ["float"],
    });
    const body = (await res.json()) as { data: Array<{ embedding: number[] }>; usage: unknown };
    expect(body.data.map((d) => d.embedding)).toEqual(embedAnswer.embeddings.float);
    expect(body.usage).toEqual({ prompt_tokens: 2, total_tokens: 2 });
  });
});

describe("new OpenAI-compatible table rows: base URL and auth", () => {
  const okAnswer = {
    id: "chatcmpl-1",
    object: "chat.completion",
    created: 1,
    model: "m",
    choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" }],
  };
  const cases: Array<{ provider: string; url: string; header: string; value: string; extra?: Record<string, string> }> =
    [
      {
        provider: "huggingface",
        url: "https://router.huggingface.co/v1/chat/completions",
        header: "authorization",
        value: "Bearer key-1234567890",
      },
      {
        provider: "dashscope",
        url: "https://dashscope-intl.aliyuncs.com/compatible-mode/v1/chat/completions",
        header: "authorization",
        value: "Bearer key-1234567890",
      },
      {
        provider: "moonshot",
        url: "https://api.moonshot.ai/v1/chat/completions",
        header: "authorization",
        value: "Bearer key-1234567890",
      },
      {
        provider: "zhipu",
        url: "https://open.bigmodel.cn/api/paas/v4/chat/completions",
        header: "authorization",
        value: "Bearer key-1234567890",
      },
      {
        provider: "azure-ai",
        url: "https://res.services.ai.azure.com/models/chat/completions?api-version=2024-05-01-preview",
        header: "api-key",
        value: "key-1234567890",
        extra: { "x-portkey-azure-resource-name": "res" },
      },
    ];
  for (const { provider, url, header, value, extra } of cases) {
    it(`${provider}: ${url}`, async () => {
      let seen: { url: string; auth: string | null } | undefined;
      upstream.use(
        http.post(url.split("?")[0] ?? url, ({ request }) => {
          seen = { url: request.url, auth: request.headers.get(header) };
          return HttpResponse.json(okAnswer);
        }),
      );
      const res = await gateway({
        headers: { "x-portkey-provider": provider, authorization: "Bearer key-1234567890", ...extra },
        body: { model: "m", messages: [{ role: "user", content: "hi" }] },
      });
      expect(res.status).toBe(200);
      expect(seen).toEqual({ url, auth: value });
    });
  }
});
