import { exports } from "cloudflare:workers";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { costOf, priceFor, worstCaseCost } from "../../schema/pricing";
import { outputTokens, promptTokensBound } from "../../src/governance/estimate";
import { upstream, useFakeUpstreams } from "./harness";
import { completionBody, createKey, settled } from "./governance-helpers";

useFakeUpstreams();

/**
 * The race LiteLLM loses (check-then-increment): 100 truly concurrent requests through the Worker's fetch against a
 * key whose budget covers 10. Each upstream answer reports exactly the usage the gateway reserved for, so each
 * request costs exactly its reservation and the budget fits exactly 10 of them.
 */
describe("the budget race", () => {
  it("100 concurrent requests, a budget for 10: at most 10 admitted, spend never above the budget", async () => {
    const body = {
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "Summarise the plot of Hamlet." }],
      max_tokens: 200,
    };
    const prompt = promptTokensBound("chat", body); // what the budget reserves for the prompt
    const output = outputTokens("chat", body);
    const price = priceFor("openai", "gpt-4o-mini");
    if (!price) throw new Error("gpt-4o-mini has no price");
    const perRequest = worstCaseCost(price, prompt, output);
    expect(costOf(price, { prompt_tokens: prompt, completion_tokens: output }).usd).toBe(perRequest);
    // As an admin would type it (the ledger counts whole nano-dollars; perRequest * 10 in floats is 0.00122249999...).
    const budget = Number((perRequest * 10).toFixed(9));

    let upstreamCalls = 0;
    upstream.use(
      http.post("https://api.openai.com/v1/chat/completions", async () => {
        upstreamCalls += 1;
        await new Promise((resolve) => setTimeout(resolve, 20)); // keep requests in flight together
        return HttpResponse.json(completionBody("gpt-4o-mini", { prompt_tokens: prompt, completion_tokens: output }));
      }),
    );
    const { key, id } = await createKey({ budget_usd: budget, budget_period: "monthly" });
    const headers = {
      "content-type": "application/json",
      authorization: `Bearer ${key}`,
      "x-portkey-provider": "openai",
    };
    // Warm the key cache with a free request, so the race is at the limiter and not at D1.
    expect((await exports.default.fetch(new Request("http://gateway.test/v1/models", { headers }))).status).toBe(200);

    const responses = await Promise.all(
      Array.from({ length: 100 }, () =>
        exports.default.fetch(
          new Request("http://gateway.test/v1/chat/completions", {
            method: "POST",
            headers,
            body: JSON.stringify(body),
          }),
        ),
      ),
    );
    const statuses = responses.map((res) => res.status);
    await Promise.all(responses.map((res) => res.text()));
    const admitted = statuses.filter((status) => status === 200).length;
    const refused = statuses.filter((status) => status === 429).length;

    expect(admitted + refused).toBe(100);
    expect(admitted).toBeLessThanOrEqual(10);
    expect(admitted).toBe(10); // and the whole budget was usable: reservations are exact, not padded
    expect(upstreamCalls).toBe(admitted);

    const usage = await settled("keys", id);
    expect(usage.budget.spent_usd).toBeLessThanOrEqual(budget);
    expect(usage.budget.spent_usd).toBeCloseTo(budget, 12);
    expect(usage.rpm.used).toBe(admitted);
    expect(usage.budget.reserved_usd).toBe(0);
  });
});
