import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { upstream, useFakeUpstreams } from "./harness";
import { callWith } from "./observability-fakes";
import { loggedRow, uniqueTrace } from "./observability-helpers";

useFakeUpstreams();

const answer = {
  id: "c",
  object: "chat.completion",
  created: 1,
  model: "gpt-4o-mini",
  choices: [
    {
      index: 0,
      message: { role: "assistant", content: "The key sk-echoed-back-by-model-000000 is yours" },
      finish_reason: "stop",
      logprobs: null,
    },
  ],
  usage: { prompt_tokens: 5, completion_tokens: 5, total_tokens: 10 },
};

describe("request and response bodies in logs", { timeout: 30_000 }, () => {
  it("are stored when LOG_BODIES is on: scrubbed of every credential and cut to LOG_BODY_MAX_BYTES", async () => {
    upstream.use(http.post("https://api.openai.com/v1/chat/completions", () => HttpResponse.json(answer)));
    const trace = uniqueTrace("bodies");
    const providerKey = "provider-key-not-shaped-like-sk-123";
    const body = {
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: `my key is ${providerKey}. ${"long ".repeat(200)}` }],
    };
    const headers = {
      "x-portkey-provider": "openai",
      authorization: `Bearer ${providerKey}`,
      "x-portkey-trace-id": trace,
    };
    await callWith({ LOG_BODIES: "true", LOG_BODY_MAX_BYTES: "256" }, { headers, body });
    const row = await loggedRow(trace);
    expect(row.bodies_truncated).toBe(1);
    expect(row.request_body).toBe(
      `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"my key is [REDACTED]. ${"long ".repeat(200)}`.slice(
        0,
        256,
      ),
    );
    expect(row.response_body).toContain("The key [REDACTED] is yours");
    for (const text of [row.request_body, row.response_body]) expect(text).not.toContain(providerKey);
  });

  it("are not stored by default", async () => {
    upstream.use(http.post("https://api.openai.com/v1/chat/completions", () => HttpResponse.json(answer)));
    const trace = uniqueTrace("no-bodies");
    await callWith(
      {},
      {
        headers: { "x-portkey-provider": "openai", authorization: "Bearer sk-x", "x-portkey-trace-id": trace },
        body: { model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] },
      },
    );
    expect(await loggedRow(trace)).toMatchObject({ request_body: null, response_body: null, bodies_truncated: 0 });
  });
});
