import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { costOf, priceFor } from "../../schema/pricing";
import { adminCall, json } from "./admin-helpers";
import { chunkedBody, upstream, useFakeUpstreams } from "./harness";
import {
  callWithKey,
  chat,
  createKey,
  createVirtualKey,
  errorOf,
  fakeOpenAI,
  settled,
  usageOf,
} from "./governance-helpers";

useFakeUpstreams();

const openai = { "x-portkey-provider": "openai" };

describe("rate limits through the gateway (429, Retry-After, which limit)", () => {
  it("requests per minute of a gateway key", async () => {
    const seen = fakeOpenAI();
    const { key, id } = await createKey({ rpm: 2 });
    for (let i = 0; i < 2; i++) expect((await callWithKey(key, chat(), openai)).status).toBe(200);
    const res = await callWithKey(key, chat(), openai);
    const retryAfter = Number(res.headers.get("retry-after"));
    const error = await errorOf(res, 429);
    expect(error).toMatchObject({ type: "rate_limit_error", code: "rate_limit_exceeded" });
    expect(error.message).toMatch(
      /^rate limit exceeded for gateway key "key-[^"]+": 2 requests per minute \(2 in the last minute\); retry in \d+ s$/,
    );
    expect(retryAfter).toBeGreaterThan(50);
    expect(retryAfter).toBeLessThanOrEqual(61);
    expect(seen).toHaveLength(2); // the refused request never reached the provider
    expect((await usageOf("keys", id)).rpm).toEqual({ limit: 2, used: 2 });
  });

  it("tokens per minute: the estimate counts until the real usage replaces it", async () => {
    fakeOpenAI({ usage: { prompt_tokens: 8, completion_tokens: 2 } });
    const { key, id } = await createKey({ tpm: 100 });
    // max_tokens 60 + a short prompt: admitted; a second one would need 60+ more than the 100 allowed...
    expect((await callWithKey(key, chat("gpt-4o-mini", { max_tokens: 60 }), openai)).status).toBe(200);
    // ...but settlement replaces the estimate with the 10 tokens really used, so it fits once settled.
    expect((await settled("keys", id)).tpm.used).toBe(10);
    expect((await callWithKey(key, chat("gpt-4o-mini", { max_tokens: 60 }), openai)).status).toBe(200);
    const tooBig = await errorOf(await callWithKey(key, chat("gpt-4o-mini", { max_tokens: 500 }), openai), 429);
    expect(tooBig.message).toMatch(
      /^token rate limit: this request needs about \d+ tokens, more than the 100 tokens per minute/,
    );
  });

  it("a virtual key's limit lets a fallback virtual key serve the request", async () => {
    fakeOpenAI({ base: "https://first.allowed.test/v1" });
    fakeOpenAI({ base: "https://second.allowed.test/v1" });
    const first = await createVirtualKey({ custom_host: "https://first.allowed.test/v1", rpm: 1 });
    const second = await createVirtualKey({ custom_host: "https://second.allowed.test/v1" });
    const { key } = await createKey();
    const config = JSON.stringify({
      strategy: { mode: "fallback" },
      targets: [{ virtual_key: first.slug }, { virtual_key: second.slug }],
    });
    const a = await callWithKey(key, chat(), { "x-portkey-config": config });
    const b = await callWithKey(key, chat(), { "x-portkey-config": config });
    expect([
      a.headers.get("x-portkey-last-used-option-index"),
      b.headers.get("x-portkey-last-used-option-index"),
    ]).toEqual(["config.targets[0]", "config.targets[1]"]);
    // Alone, the limited virtual key answers 429 itself.
    const alone = await errorOf(await callWithKey(key, chat(`@${first.slug}/gpt-4o-mini`)), 429);
    expect(alone.message).toMatch(new RegExp(`^rate limit exceeded for virtual key "${first.slug}"`));
  });
});

describe("budgets", () => {
  it("settles the real cost, then refuses once spent, saying when the budget resets", async () => {
    const usage = { prompt_tokens: 1_000, completion_tokens: 1_000 };
    fakeOpenAI({ usage });
    const price = priceFor("openai", "gpt-4o-mini");
    if (!price) throw new Error("gpt-4o-mini has no price");
    const cost = costOf(price, usage).usd;
    const { key, id } = await createKey({ budget_usd: cost * 1.5, budget_period: "monthly" });
    expect((await callWithKey(key, chat("gpt-4o-mini", { max_tokens: 1_000 }), openai)).status).toBe(200);
    const after = await settled("keys", id);
    expect(after.budget.spent_usd).toBeCloseTo(cost, 12);
    expect(after.budget.reserved_usd).toBe(0);

    const res = await callWithKey(key, chat("gpt-4o-mini", { max_tokens: 1_000 }), openai);
    const retryAfter = Number(res.headers.get("retry-after"));
    const error = await errorOf(res, 429);
    expect(error.code).toBe("budget_exceeded");
    const now = new Date();
    const reset = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString();
    expect(error.message).toContain(`monthly budget of`);
    expect(error.message).toContain(`resets at ${reset}`);
    expect(retryAfter).toBeGreaterThan(0);
    expect(res.headers.get("x-should-retry")).toBe("false");
  });

  it("streams settle once the stream has been sent, from the usage chunk", async () => {
    const sse = [
      `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 1, model: "gpt-4o-mini", choices: [{ index: 0, delta: { role: "assistant", content: "Hi" }, finish_reason: null }] })}\n\n`,
      `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 1, model: "gpt-4o-mini", choices: [{ index: 0, delta: {}, finish_reason: "stop" }] })}\n\n`,
      `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 1, model: "gpt-4o-mini", choices: [], usage: { prompt_tokens: 400, completion_tokens: 100, total_tokens: 500 } })}\n\n`,
      "data: [DONE]\n\n",
    ].join("");
    upstream.use(
      http.post(
        "https://api.openai.com/v1/chat/completions",
        () => new HttpResponse(chunkedBody(sse, [7, 50, 333]), { headers: { "content-type": "text/event-stream" } }),
      ),
    );
    const { key, id } = await createKey({ budget_usd: 1 });
    const res = await callWithKey(key, chat("gpt-4o-mini", { stream: true, max_tokens: 100 }), openai);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("[DONE]");
    const price = priceFor("openai", "gpt-4o-mini");
    if (!price) throw new Error("unpriced");
    const usage = await settled("keys", id);
    expect(usage.budget.spent_usd).toBeCloseTo(costOf(price, { prompt_tokens: 400, completion_tokens: 100 }).usd, 12);
    expect(usage.tpm.used).toBe(500);
  });

  it("a budget cannot be enforced on an unpriced model: 403 before any call", async () => {
    const seen = fakeOpenAI();
    const { key } = await createKey({ budget_usd: 10 });
    const error = await errorOf(await callWithKey(key, chat("my-own-finetune"), openai), 403);
    expect(error.code).toBe("model_unpriced");
    expect(seen).toHaveLength(0);
    // Without a budget the same model is fine.
    const { key: free } = await createKey({ rpm: 100 });
    expect((await callWithKey(free, chat("my-own-finetune"), openai)).status).toBe(200);
  });

  it("a limit change applies to the next request of this isolate", async () => {
    fakeOpenAI();
    const { key, id } = await createKey();
    expect((await callWithKey(key, chat(), openai)).status).toBe(200);
    await json(await adminCall({ method: "PATCH", path: `/keys/${id}`, body: { budget_usd: 0 } }));
    expect(await errorOf(await callWithKey(key, chat(), openai), 429)).toMatchObject({ code: "budget_exceeded" });
  });
});
