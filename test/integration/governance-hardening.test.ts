import { env } from "cloudflare:workers";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { openDb } from "../../src/storage/db";
import { DEFAULT_OUTPUT_TOKENS } from "../../src/governance/estimate";
import { setGatewayKeyStatus } from "../../src/governance/keys/service";
import { findGatewayKey } from "../../src/governance/repository";
import { adminCall, json } from "./admin-helpers";
import { upstream, useFakeUpstreams } from "./harness";
import {
  bearer,
  callWithKey,
  chat,
  createKey,
  createVirtualKey,
  errorOf,
  fakeOpenAI,
  settled,
  usageOf,
  withEnv,
} from "./governance-helpers";

useFakeUpstreams();

const openai = { "x-portkey-provider": "openai" };

describe("hard budgets: an answer cannot cost more than its reservation", () => {
  it("a request under a budget without an output limit gets the allowance it was reserved for", async () => {
    const seen = fakeOpenAI();
    const budgeted = await createKey({ budget_usd: 10, budget_period: "daily" });
    const free = await createKey();
    expect((await callWithKey(budgeted.key, chat(), openai)).status).toBe(200);
    expect((await callWithKey(budgeted.key, chat("gpt-4o-mini", { max_tokens: 30 }), openai)).status).toBe(200);
    expect((await callWithKey(free.key, chat(), openai)).status).toBe(200);
    expect(seen.map((r) => [r.body.max_completion_tokens, r.body.max_tokens])).toEqual([
      [DEFAULT_OUTPUT_TOKENS, undefined],
      [undefined, 30], // the client's own limit stands (and is what was reserved)
      [undefined, undefined], // no budget, nothing added
    ]);
  });

  it("a virtual key's budget caps the answer too", async () => {
    const seen = fakeOpenAI({ base: "https://capped.allowed.test/v1" });
    const vk = await createVirtualKey({
      custom_host: "https://capped.allowed.test/v1",
      budget_usd: 5,
      budget_period: "monthly",
    });
    const { key } = await createKey();
    expect((await callWithKey(key, chat(`@${vk.slug}/gpt-4o-mini`))).status).toBe(200);
    expect(seen[0]?.body.max_completion_tokens).toBe(DEFAULT_OUTPUT_TOKENS);
  });
});

describe("stored provider keys never reach the caller", () => {
  it("an upstream that echoes the credential in its error: the client's message has it redacted", async () => {
    upstream.use(
      http.post("https://echo.allowed.test/v1/chat/completions", ({ request }) =>
        HttpResponse.json(
          {
            error: {
              message: `Invalid API key: ${request.headers.get("authorization")}`,
              type: "invalid_request_error",
              code: "invalid_api_key",
            },
          },
          { status: 401 },
        ),
      ),
    );
    const vk = await createVirtualKey({
      custom_host: "https://echo.allowed.test/v1",
      api_key: "0123456789abcdef0123456789abcdef",
    });
    const { key } = await createKey();
    const res = await callWithKey(key, chat(`@${vk.slug}/gpt-4o-mini`));
    const text = await res.text();
    expect(res.status).toBe(401);
    expect(text).not.toContain(vk.secret);
    expect(JSON.parse(text).error.message).toBe("Invalid API key: Bearer [REDACTED]");
  });
});

describe("a limiter asked once per request", () => {
  it("a virtual key's refusal is not retried on the same target, and does not trip its circuit", async () => {
    fakeOpenAI({ base: "https://limited.allowed.test/v1" });
    const vk = await createVirtualKey({ custom_host: "https://limited.allowed.test/v1", rpm: 1 });
    const { key } = await createKey();
    const config = JSON.stringify({ retry: { attempts: 3, on_status_codes: [429] }, virtual_key: vk.slug });
    expect((await callWithKey(key, chat(), { "x-portkey-config": config })).status).toBe(200);
    const refused = await callWithKey(key, chat(), { "x-portkey-config": config });
    expect(refused.headers.get("x-portkey-retry-attempt-count")).toBe("0");
    expect((await errorOf(refused, 429)).code).toBe("rate_limit_exceeded");
    expect((await settled("virtual-keys", vk.id)).rpm).toEqual({ limit: 1, used: 1 });
  });
});

describe("key lifecycle races", () => {
  it("a change computed from a stale row cannot revive a deleted key (409, no audit row)", async () => {
    const created = await createKey();
    const db = openDb(env);
    const stale = await findGatewayKey(db, created.id);
    if (!stale) throw new Error("key not found");
    await json(await adminCall({ method: "DELETE", path: `/keys/${created.id}` }));
    await expect(setGatewayKeyStatus(db, "admin:test", stale, "active", "enable")).rejects.toMatchObject({
      status: 409,
      code: "api_key_deleted",
    });
    expect((await findGatewayKey(db, created.id))?.status).toBe("deleted");
    const audit = await env.DB.prepare("SELECT action FROM audit_log WHERE resource_id = ? ORDER BY at")
      .bind(created.id)
      .all<{ action: string }>();
    expect(audit.results.map((row) => row.action)).toEqual(["create", "delete"]);
  });
});

describe("presenting a key", () => {
  it("a malformed pk-gw- token is refused as invalid, and a placeholder x-portkey-api-key does not hide a real key", async () => {
    fakeOpenAI();
    const { key } = await createKey();
    const secure = { PASSTHROUGH_MODE: "false" };
    const malformed = await withEnv(secure, { headers: { ...bearer(`${key}x`), ...openai }, body: chat() });
    expect((await errorOf(malformed, 401)).code).toBe("invalid_api_key");
    const both = await withEnv(secure, {
      headers: { ...bearer(key), "x-portkey-api-key": "placeholder", ...openai },
      body: chat(),
    });
    expect(both.status).toBe(200);
  });
});

describe("limits from isolates with stale key records", () => {
  it("the limiter keeps the newest limits it has seen", async () => {
    fakeOpenAI();
    const created = await createKey({ rpm: 2 });
    expect((await callWithKey(created.key, chat(), openai)).status).toBe(200);
    await json(await adminCall({ method: "PATCH", path: `/keys/${created.id}`, body: { rpm: 1 } }));
    expect((await usageOf("keys", created.id)).rpm).toEqual({ limit: 1, used: 1 });
    expect((await callWithKey(created.key, chat(), openai)).status).toBe(429);
  });
});
