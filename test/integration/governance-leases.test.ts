import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { costOf, priceFor, worstCaseCost } from "../../schema/pricing";
import { outputTokens, promptTokensBound } from "../../src/governance/estimate";
import { MAX_LEASE_REQUESTS } from "../../src/governance/limits/lease-size";
import { adminCall, json } from "./admin-helpers";
import { useFakeUpstreams } from "./harness";
import { callWithKey, chat, createKey, fakeOpenAI, settled, usageOf } from "./governance-helpers";

useFakeUpstreams();

/**
 * Leases: a busy key far from its limits is admitted from the isolate's lease (no limiter round trip per request),
 * and what the limiter records afterwards is exactly what a request-by-request limiter would have recorded.
 */
const openai = { "x-portkey-provider": "openai" };
const usage = { prompt_tokens: 9, completion_tokens: 3 };
const body = chat("gpt-4o-mini", { max_tokens: 50 });

function priced() {
  const price = priceFor("openai", "gpt-4o-mini");
  if (!price) throw new Error("gpt-4o-mini has no price");
  return {
    actual: costOf(price, usage).usd,
    worst: worstCaseCost(price, promptTokensBound("chat", body), outputTokens("chat", body)),
  };
}

describe("leases", () => {
  it("the first request leases room for the next ones; closing the lease records exactly what was used", async () => {
    fakeOpenAI({ usage });
    const { actual, worst } = priced();
    const { key, id } = await createKey({
      rpm: 100_000,
      tpm: 100_000_000,
      budget_usd: 1_000,
      budget_period: "monthly",
    });
    expect((await callWithKey(key, body, openai)).status).toBe(200);

    // Right after it, the limiter holds a whole lease: 64 requests' worth counted and reserved, one reservation.
    const leased = await usageOf("keys", id);
    expect(leased.rpm.used).toBe(MAX_LEASE_REQUESTS);
    expect(leased.budget.in_flight).toBe(1);
    expect(leased.budget.reserved_usd).toBeCloseTo(MAX_LEASE_REQUESTS * worst, 9);
    expect(leased.budget.spent_usd).toBe(0);

    // More requests inside the lease's window change nothing at the limiter: no round trip was made.
    for (let i = 0; i < 4; i++) expect((await callWithKey(key, body, openai)).status).toBe(200);
    expect(await usageOf("keys", id)).toEqual(leased);

    // Once the window is over and its requests are done, the lease closes with the real usage.
    const after = await settled("keys", id);
    expect(after.rpm.used).toBe(5);
    expect(after.tpm.used).toBe(5 * (usage.prompt_tokens + usage.completion_tokens));
    expect(after.budget.spent_usd).toBeCloseTo(5 * actual, 12);
    expect(after.budget.reserved_usd).toBe(0);
  });

  // 200 requests in one workerd: on a loaded 2-core CI machine they need more than vitest's default 5 s. A safeguard
  // against a hang, not a speed assertion (speed is measured in bench/).
  it(
    "200 concurrent requests on a busy key: all served, every one billed once, nothing left reserved",
    { timeout: 60_000 },
    async () => {
      const seen = fakeOpenAI({ usage });
      const { actual } = priced();
      const { key, id } = await createKey({ rpm: 100_000, budget_usd: 1_000, budget_period: "daily" });
      const headers = { "content-type": "application/json", authorization: `Bearer ${key}`, ...openai };
      const responses = await Promise.all(
        Array.from({ length: 200 }, () =>
          exports.default.fetch(
            new Request("http://gateway.test/v1/chat/completions", {
              method: "POST",
              headers,
              body: JSON.stringify(body),
            }),
          ),
        ),
      );
      expect(responses.map((res) => res.status)).toEqual(Array(200).fill(200));
      await Promise.all(responses.map((res) => res.text()));
      expect(seen).toHaveLength(200);
      const after = await settled("keys", id);
      expect(after.rpm.used).toBe(200);
      expect(after.budget.spent_usd).toBeCloseTo(200 * actual, 12);
      expect(after.budget.reserved_usd).toBe(0);
    },
  );

  it("near the budget there is no lease: the last requests are admitted one by one and the budget holds", async () => {
    fakeOpenAI({
      usage: { prompt_tokens: promptTokensBound("chat", body), completion_tokens: outputTokens("chat", body) },
    });
    const { worst } = priced();
    // Room for 40 requests that each cost exactly their worst case: leases shrink, then stop, as the room runs out.
    const budget = Number((worst * 40).toFixed(9));
    const { key, id } = await createKey({ budget_usd: budget, budget_period: "monthly" });
    let admitted = 0;
    for (let i = 0; i < 60; i++) {
      const res = await callWithKey(key, body, openai);
      await res.text();
      if (res.status === 200) admitted += 1;
      else expect(res.status).toBe(429);
    }
    const after = await settled("keys", id);
    expect(admitted).toBeLessThanOrEqual(40);
    expect(admitted).toBeGreaterThanOrEqual(30); // leases held back by requests in flight can refuse a few early
    expect(after.budget.spent_usd).toBeLessThanOrEqual(budget);
    expect(after.budget.spent_usd).toBeCloseTo(admitted * worst, 12);
    expect(after.rpm.used).toBe(admitted);
  });

  it("a change of limits is not served from a lease granted under the old ones", async () => {
    fakeOpenAI({ usage });
    const { key, id } = await createKey({ rpm: 100_000 });
    expect((await callWithKey(key, body, openai)).status).toBe(200);
    expect((await usageOf("keys", id)).rpm.used).toBe(MAX_LEASE_REQUESTS);
    await json(await adminCall({ method: "PATCH", path: `/keys/${id}`, body: { rpm: 1 } }));
    // The lease's room for 63 more is not used: the limiter answers, and one request in the last minute is the limit.
    expect((await callWithKey(key, body, openai)).status).toBe(429);
    const after = await settled("keys", id);
    expect(after.rpm).toEqual({ limit: 1, used: 1 });
  });
});
