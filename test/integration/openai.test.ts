import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { gateway, upstream, useFakeUpstreams } from "./harness";

useFakeUpstreams();

const completion = {
  id: "chatcmpl-abc",
  object: "chat.completion",
  created: 1_700_000_000,
  model: "gpt-4o-mini-2024-07-18",
  choices: [
    {
      index: 0,
      message: { role: "assistant", content: "Hello!", refusal: null },
      logprobs: null,
      finish_reason: "stop",
    },
  ],
  usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12, prompt_tokens_details: { cached_tokens: 0 } },
  system_fingerprint: "fp_1",
};

describe("openai passthrough", () => {
  it("forwards the body and key, and returns the provider's completion", async () => {
    let seen: { auth: string | null; body: unknown } | undefined;
    upstream.use(
      http.post("https://api.openai.com/v1/chat/completions", async ({ request }) => {
        seen = { auth: request.headers.get("authorization"), body: await request.json() };
        return HttpResponse.json(completion);
      }),
    );
    const res = await gateway({
      headers: { "x-portkey-provider": "openai", authorization: "Bearer sk-test", "x-portkey-trace-id": "trace-1" },
      body: { model: "gpt-4o-mini", messages: [{ role: "user", content: "Hi" }], max_completion_tokens: 5 },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-portkey-trace-id")).toBe("trace-1");
    expect(res.headers.get("x-portkey-provider")).toBe("openai");
    expect(res.headers.get("server-timing")).toMatch(/^gateway;dur=[\d.]+, upstream;dur=[\d.]+$/);
    expect(await res.json()).toEqual(completion);
    expect(seen).toEqual({
      auth: "Bearer sk-test",
      body: { model: "gpt-4o-mini", messages: [{ role: "user", content: "Hi" }], max_completion_tokens: 5 },
    });
  });
});
