import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { embeddingResult, restEnvelope, textResult, textStream } from "../fixtures/workers-ai/answers";
import { chunkedBody, gateway, upstream, useFakeUpstreams } from "./harness";
import { callWith } from "./observability-fakes";
import { loggedRow, uniqueTrace } from "./observability-helpers";

useFakeUpstreams();

/**
 * Workers AI through the `AI` binding. wrangler.toml binds no AI (it would need a Cloudflare account in dev), so
 * these tests hand the Worker a fake binding object in its env: a fake of the platform edge, like msw for HTTP,
 * answering with what `env.AI.run()` returns (an object, or a ReadableStream of SSE bytes).
 */
const MODEL = "@cf/meta/llama-3.1-8b-instruct";
const ACCOUNT = "0123456789abcdef0123456789abcdef";
const chat = (extra: object = {}) => ({ model: MODEL, messages: [{ role: "user", content: "Hi" }], ...extra });
const headers = { "x-portkey-provider": "workers-ai" };

function fakeAi(answer: (inputs: Record<string, unknown>) => unknown) {
  const calls: Array<{ model: string; inputs: Record<string, unknown> }> = [];
  return {
    calls,
    env: {
      AI: {
        run: async (model: string, inputs: Record<string, unknown>) => (calls.push({ model, inputs }), answer(inputs)),
      },
    } as unknown as Partial<Env>,
  };
}

const dataOf = (text: string) =>
  text
    .split("\n\n")
    .filter((f) => f.startsWith("data: "))
    .map((f) => f.slice(6));

describe("workers-ai through the AI binding (fake binding in env)", { timeout: 60_000 }, () => {
  it("chat: env.AI.run gets the model and inputs; OpenAI answer; cost logged from the price table", async () => {
    const ai = fakeAi(() => textResult);
    const trace = uniqueTrace("wai-cost");
    const res = await callWith(ai.env, {
      headers: { ...headers, "x-portkey-trace-id": trace },
      body: chat({ max_tokens: 64 }),
    });
    expect(res.status).toBe(200);
    expect(ai.calls).toEqual([
      { model: MODEL, inputs: { messages: [{ role: "user", content: "Hi" }], max_tokens: 64 } },
    ]);
    const body = JSON.parse(res.text) as { choices: Array<{ message: { content: string } }>; usage: unknown };
    expect(body.choices[0]?.message.content).toBe("Hello from the edge.");
    expect(body.usage).toEqual({ prompt_tokens: 18, completion_tokens: 6, total_tokens: 24 });
    const row = await loggedRow(trace);
    expect(row).toMatchObject({ provider: "workers-ai", prompt_tokens: 18, completion_tokens: 6, cost_unpriced: 0 });
    expect(row.cost_usd).toBeCloseTo(18 * 2.82e-7 + 6 * 8.27e-7, 12);
  });

  it("stream: the binding's SSE bytes, split inside a multi-byte character, become OpenAI chunks and [DONE]", async () => {
    const at = new TextEncoder().encode(textStream.slice(0, textStream.indexOf("⛅"))).length + 2;
    const ai = fakeAi(() => chunkedBody(textStream, [at, at + 5]));
    const res = await callWith(ai.env, {
      headers,
      body: chat({ stream: true, stream_options: { include_usage: true } }),
    });
    const data = dataOf(res.text);
    expect(data.at(-1)).toBe("[DONE]");
    const chunks = data
      .slice(0, -1)
      .map((d) => JSON.parse(d) as { choices: Array<{ delta: { content?: string } }>; usage?: unknown });
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe("Hello from the edge. ⛅");
    expect(chunks.at(-1)?.usage).toEqual({ prompt_tokens: 18, completion_tokens: 6, total_tokens: 24 });
    expect(ai.calls[0]?.inputs.stream).toBe(true);
  });

  it("embeddings through the binding", async () => {
    const ai = fakeAi(() => embeddingResult);
    const res = await callWith(ai.env, {
      path: "/v1/embeddings",
      headers,
      body: { model: "@cf/baai/bge-small-en-v1.5", input: ["a", "b"] },
    });
    expect(res.status).toBe(200);
    expect(ai.calls[0]?.inputs).toEqual({ text: ["a", "b"] });
    expect((JSON.parse(res.text) as { data: Array<{ embedding: number[] }> }).data.map((d) => d.embedding)).toEqual(
      embeddingResult.data,
    );
  });

  it("a binding failure is the envelope: capacity 429, anything else 502", async () => {
    const capacity = await callWith(
      fakeAi(() => Promise.reject(new Error("3040: Capacity temporarily exceeded, please try again."))).env,
      { headers, body: chat() },
    );
    expect(capacity.status).toBe(429);
    expect(JSON.parse(capacity.text).error.message).toBe("3040: Capacity temporarily exceeded, please try again.");
    const other = await callWith(fakeAi(() => Promise.reject(new Error("5007: No such model"))).env, {
      headers,
      body: chat(),
    });
    expect(other.status).toBe(502);
  });

  it("without the binding and without a token: 400 naming how to enable it", async () => {
    const res = await gateway({ headers, body: chat() });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("binding_unavailable");
  });
});

describe("workers-ai over REST with an API token", () => {
  it("posts to the account's /ai/run/{model} with the bearer token and unwraps the result", async () => {
    let seen: { auth: string | null; body: unknown } | undefined;
    upstream.use(
      http.post(`https://api.cloudflare.com/client/v4/accounts/${ACCOUNT}/ai/run/${MODEL}`, async ({ request }) => {
        seen = { auth: request.headers.get("authorization"), body: await request.json() };
        return HttpResponse.json(restEnvelope(textResult));
      }),
    );
    const res = await gateway({
      headers: { ...headers, authorization: "Bearer cf-token-1234567890", "x-portkey-workers-ai-account-id": ACCOUNT },
      body: chat(),
    });
    expect(res.status).toBe(200);
    expect(seen).toEqual({ auth: "Bearer cf-token-1234567890", body: { messages: [{ role: "user", content: "Hi" }] } });
    expect(
      ((await res.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]?.message.content,
    ).toBe("Hello from the edge.");
  });
});
