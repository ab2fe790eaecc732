import { describe, expect, it } from "vitest";
import { useFakeUpstreams } from "./harness";
import { callWithKey, chat, createKey, fakeOpenAI, withEnv } from "./governance-helpers";
import { loggedRow, uniqueTrace } from "./observability-helpers";

useFakeUpstreams();

/** Requests refused by governance are logged exactly once too, with who refused them and which key asked. */

const headers = (trace: string) => ({ "x-portkey-provider": "openai", "x-portkey-trace-id": trace });

describe("one log row per governed request", { timeout: 30_000 }, () => {
  it("an authentication failure (no gateway key, passthrough off)", async () => {
    const trace = uniqueTrace("auth");
    const res = await withEnv({ PASSTHROUGH_MODE: "false" }, { headers: headers(trace), body: chat() });
    expect(res.status).toBe(401);
    expect(await loggedRow(trace)).toMatchObject({
      status: 401,
      is_error: 1,
      denied_by: "auth",
      gateway_key_id: null,
      provider: null,
      cost_usd: 0,
    });
  });

  it("a request refused by the key's rate limit, next to the one it let through", async () => {
    fakeOpenAI();
    const { key, id } = await createKey({ rpm: 1, user: "carol" });
    const ok = uniqueTrace("rpm-ok");
    const limited = uniqueTrace("rpm-limited");
    expect((await callWithKey(key, chat(), headers(ok))).status).toBe(200);
    expect((await callWithKey(key, chat(), headers(limited))).status).toBe(429);
    expect(await loggedRow(ok)).toMatchObject({ status: 200, gateway_key_id: id, user: "carol", denied_by: null });
    expect(await loggedRow(limited)).toMatchObject({
      status: 429,
      is_error: 1,
      gateway_key_id: id,
      denied_by: "rate_limit",
      cost_usd: 0,
    });
  });

  it("a request refused by the key's budget", async () => {
    fakeOpenAI();
    const { key, id } = await createKey({ budget_usd: 0.0000001, budget_period: "monthly" });
    const trace = uniqueTrace("budget");
    expect((await callWithKey(key, chat("gpt-4o"), headers(trace))).status).toBe(429);
    // Refused before any call, and still attributed to the provider it would have gone to.
    expect(await loggedRow(trace)).toMatchObject({
      status: 429,
      gateway_key_id: id,
      denied_by: "budget",
      provider: "openai",
    });
  });

  it("a key's own log_bodies choice wins over the LOG_BODIES var", async () => {
    fakeOpenAI();
    const { key } = await createKey({ log_bodies: true });
    const trace = uniqueTrace("key-bodies");
    await callWithKey(key, chat(), headers(trace)); // the body is never read: the log must not wait for the client
    const row = await loggedRow(trace);
    expect(row.request_body).toContain('"messages"');
    expect(row.request_body).not.toContain(key);
    expect(row.response_body).toContain("chatcmpl-gov");
  });
});
