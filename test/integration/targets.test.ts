import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { gateway, upstream, useFakeUpstreams } from "./harness";

useFakeUpstreams();

const chat = { model: "gpt-4o-mini", messages: [{ role: "user", content: "Hi" }] };
const completion = {
  id: "chatcmpl-1",
  object: "chat.completion",
  created: 1,
  model: "m",
  choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop", logprobs: null }],
  usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
};

interface Seen {
  url: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

function record(url: string, seen: Seen[], answer: object = completion) {
  upstream.use(
    http.post(url, async ({ request }) => {
      seen.push({
        url: request.url,
        headers: Object.fromEntries(request.headers),
        body: (await request.json()) as Record<string, unknown>,
      });
      return HttpResponse.json(answer);
    }),
  );
}

describe("target selection", () => {
  it("uses an inline config target: provider, api_key and override_params", async () => {
    const seen: Seen[] = [];
    record("https://api.groq.com/openai/v1/chat/completions", seen);
    const config = {
      provider: "groq",
      api_key: "gsk-config",
      override_params: { model: "llama-3.3-70b-versatile", temperature: 0.2 },
    };
    const res = await gateway({ headers: { "x-portkey-config": JSON.stringify(config) }, body: chat });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-portkey-provider")).toBe("groq");
    expect(seen[0]?.headers.authorization).toBe("Bearer gsk-config");
    expect(seen[0]?.body).toMatchObject({ model: "llama-3.3-70b-versatile", temperature: 0.2 });
  });

  it("gives 400 with the path of a bad config field", async () => {
    const res = await gateway({ headers: { "x-portkey-config": JSON.stringify({ provider: "nope" }) }, body: chat });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { message: string; param: string } };
    expect(error.param).toBe("x-portkey-config");
    expect(error.message).toMatch(/^config\.provider: unknown provider "nope"; valid providers: openai, /);
  });

  it("gives 400 for a config header that is not JSON", async () => {
    const res = await gateway({ headers: { "x-portkey-config": "{oops" }, body: chat });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("invalid_config");
  });

  it("builds Azure URLs and the api-key header from x-portkey-azure-* headers", async () => {
    const seen: Seen[] = [];
    record("https://my-res.openai.azure.com/openai/deployments/gpt4o-prod/chat/completions", seen);
    const res = await gateway({
      headers: {
        "x-portkey-provider": "azure-openai",
        authorization: "Bearer azure-key",
        "x-portkey-azure-resource-name": "my-res",
        "x-portkey-azure-deployment-id": "gpt4o-prod",
        "x-portkey-azure-api-version": "2024-06-01",
      },
      body: chat,
    });
    expect(res.status).toBe(200);
    expect(seen[0]?.url).toBe(
      "https://my-res.openai.azure.com/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-06-01",
    );
    expect(seen[0]?.headers["api-key"]).toBe("azure-key");
    expect(seen[0]?.headers.authorization).toBeUndefined();
  });

  it("applies provider quirks from the table (Mistral: random_seed, max_tokens)", async () => {
    const seen: Seen[] = [];
    record("https://api.mistral.ai/v1/chat/completions", seen);
    await gateway({
      headers: { "x-portkey-provider": "mistral-ai", authorization: "Bearer m" },
      body: { ...chat, seed: 42, max_completion_tokens: 50 },
    });
    expect(seen[0]?.body).toMatchObject({ random_seed: 42, max_tokens: 50 });
    expect(seen[0]?.body).not.toHaveProperty("seed");
    expect(seen[0]?.body).not.toHaveProperty("max_completion_tokens");
  });
});

describe("custom_host policy", () => {
  const customHeaders = (host: string) => ({
    "x-portkey-provider": "custom",
    "x-portkey-custom-host": host,
    authorization: "Bearer k",
  });

  it("sends to an allowlisted host (exact and wildcard)", async () => {
    const seen: Seen[] = [];
    record("https://vllm.internal.test/v1/chat/completions", seen);
    record("https://llm.allowed.test/v1/chat/completions", seen);
    expect((await gateway({ headers: customHeaders("https://vllm.internal.test/v1/"), body: chat })).status).toBe(200);
    expect((await gateway({ headers: customHeaders("https://llm.allowed.test/v1"), body: chat })).status).toBe(200);
    expect(seen.map((s) => s.url)).toEqual([
      "https://vllm.internal.test/v1/chat/completions",
      "https://llm.allowed.test/v1/chat/completions",
    ]);
  });

  for (const host of [
    "http://127.0.0.1:8000/v1",
    "http://localhost:11434/v1",
    "http://169.254.169.254/latest",
    "http://10.0.0.5/v1",
    "http://[::1]:8000/v1",
    "https://evil.example.com/v1",
    "https://allowed.test.evil.com/v1",
    "ftp://vllm.internal.test/v1",
    "https://user:pass@vllm.internal.test/v1",
    "not a url",
  ]) {
    it(`refuses ${host}`, async () => {
      const res = await gateway({ headers: customHeaders(host), body: chat });
      expect(res.status).toBe(400);
      const { error } = (await res.json()) as { error: { code: string; param: string } };
      expect(error).toMatchObject({ code: "custom_host_not_allowed", param: "custom_host" });
    });
  }

  it("refuses Ollama's loopback default when private hosts are not allowed", async () => {
    const res = await gateway({ headers: { "x-portkey-provider": "ollama" }, body: chat });
    expect(res.status).toBe(400);
  });

  it("requires a custom host for the custom provider", async () => {
    const res = await gateway({ headers: { "x-portkey-provider": "custom" }, body: chat });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { param: string } }).error.param).toBe("x-portkey-custom-host");
  });
});

describe("completions and embeddings (OpenAI-compatible)", () => {
  it("passes legacy completions through", async () => {
    const answer = {
      id: "cmpl-1",
      object: "text_completion",
      created: 1,
      model: "gpt-3.5-turbo-instruct",
      choices: [{ text: " world", index: 0, logprobs: null, finish_reason: "stop" }],
      usage: { prompt_tokens: 2, completion_tokens: 1, total_tokens: 3 },
    };
    upstream.use(http.post("https://api.together.xyz/v1/completions", () => HttpResponse.json(answer)));
    const res = await gateway({
      path: "/v1/completions",
      headers: { "x-portkey-provider": "together-ai", authorization: "Bearer t" },
      body: { model: "gpt-3.5-turbo-instruct", prompt: "hello" },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(answer);
  });

  it("passes embeddings through", async () => {
    const answer = {
      object: "list",
      data: [{ object: "embedding", index: 0, embedding: [0.1, -0.2] }],
      model: "text-embedding-3-small",
      usage: { prompt_tokens: 2, total_tokens: 2 },
    };
    upstream.use(http.post("https://api.openai.com/v1/embeddings", () => HttpResponse.json(answer)));
    const res = await gateway({
      path: "/v1/embeddings",
      headers: { "x-portkey-provider": "openai", authorization: "Bearer t" },
      body: { model: "text-embedding-3-small", input: "hi" },
    });
    expect(await res.json()).toEqual(answer);
  });
});
