import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cacheRuntime } from "../../src/cache/runtime";
import { chatBody, completion, json, serveChat, status, uniq, waitForEntries } from "./cache-fixtures";
import { callWithKey, createKey, settled } from "./governance-helpers";
import { useFakeUpstreams } from "./harness";

useFakeUpstreams();

const saved = { ...cacheRuntime };
beforeAll(() => Object.assign(cacheRuntime, { statsFlushMs: 0 }));
afterAll(() => Object.assign(cacheRuntime, saved));

describe("cache hits under governance", () => {
  // rpm 3 keeps the key on the limiter's exact path (a lease is only granted far from every limit).
  it("a hit does not count against the gateway key's rpm, and its reservation is settled at 0", async () => {
    const { key, id } = await createKey({ rpm: 3, budget_usd: 5 });
    const served = serveChat(() => json(completion("governed answer")));
    const ns = uniq("ns");
    const config = { provider: "openai", api_key: "sk-governed-cache", cache: { mode: "simple", max_age: 600 } };
    const headers = { "x-portkey-config": JSON.stringify(config), "x-portkey-cache-namespace": ns };

    const miss = await callWithKey(key, chatBody("Governed question"), headers);
    expect(miss.status).toBe(200);
    expect(status(miss)).toBe("MISS");
    await waitForEntries(1, `rc1:${ns}:`);
    const afterMiss = await settled("keys", id);
    expect(afterMiss.rpm.used).toBe(1);
    expect(afterMiss.budget.spent_usd).toBeGreaterThan(0);

    // Three hits: one more than the rpm has room for, if they counted.
    for (let i = 0; i < 3; i++) {
      const hit = await callWithKey(key, chatBody("Governed question"), headers);
      expect(hit.status).toBe(200);
      expect(status(hit)).toBe("HIT");
      await hit.text();
    }
    const afterHits = await settled("keys", id);
    expect(afterHits.rpm.used).toBe(1);
    expect(afterHits.budget.spent_usd).toBe(afterMiss.budget.spent_usd);
    expect(afterHits.budget.reserved_usd).toBe(0);
    expect(served.calls).toBe(1);

    // The two provider calls the rpm still allows go through.
    for (const question of ["Second question", "Third question"]) {
      expect((await callWithKey(key, chatBody(question), headers)).status).toBe(200);
    }
    expect((await settled("keys", id)).rpm.used).toBe(3);
  });
});
