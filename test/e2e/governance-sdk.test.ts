/// <reference types="node" />
/**
 * Governance end to end: `wrangler dev` in secure mode (PASSTHROUGH_MODE=false), keys made through the admin API,
 * and the official `openai` SDK changing only baseURL and apiKey (a gateway key), with `@virtual-key/model`.
 */
import OpenAI, { AuthenticationError, PermissionDeniedError, RateLimitError } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeProviders, type FakeProviders } from "./fake-providers";
import { startGateway, type GatewayProcess } from "./gateway-process";

const ADMIN_TOKEN = "e2e-admin-token";
const PROVIDER_SECRET = "sk-e2e-stored-in-the-vault-0042";

let fake: FakeProviders;
let gateway: GatewayProcess;

beforeAll(async () => {
  fake = await startFakeProviders();
  gateway = await startGateway({
    vars: { PASSTHROUGH_MODE: "false", ADMIN_TOKEN, VAULT_KEY: "ZTJlLW9ubHktdmF1bHQta2V5LTMyLWJ5dGVzLi4uLi4" },
  });
});

afterAll(async () => {
  await gateway?.stop();
  await fake?.close();
});

async function admin<T>(path: string, body: unknown): Promise<T> {
  const res = await fetch(`${gateway.origin}/admin${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  expect(res.status, text).toBe(201);
  return JSON.parse(text) as T;
}

const sdk = (apiKey: string) => new OpenAI({ baseURL: `${gateway.origin}/v1`, apiKey, maxRetries: 0, timeout: 20_000 });
const messages = [{ role: "user" as const, content: "Hi" }];

describe("governance with the openai SDK", () => {
  let slug: string;

  beforeAll(async () => {
    slug = `openai-e2e-${Date.now()}`;
    await admin("/virtual-keys", {
      slug,
      provider: "openai",
      api_key: PROVIDER_SECRET,
      custom_host: fake.hosts.openai,
    });
  });

  it("a gateway key as apiKey and @virtual-key/model: the stored key goes to the provider, and only there", async () => {
    const { key } = await admin<{ key: string }>("/keys", { name: "e2e", allowed_models: ["gpt-4o-mini"] });
    fake.reset();
    const completion = await sdk(key).chat.completions.create({ model: `@${slug}/gpt-4o-mini`, messages });
    expect(completion.choices[0]?.message.content).toBeTruthy();
    expect(fake.last().headers.authorization).toBe(`Bearer ${PROVIDER_SECRET}`);
    expect((fake.last().body as { model: string }).model).toBe("gpt-4o-mini");
    expect(JSON.stringify(completion)).not.toContain(PROVIDER_SECRET);

    const chunks: string[] = [];
    const stream = await sdk(key).chat.completions.create({ model: `@${slug}/gpt-4o-mini`, messages, stream: true });
    for await (const chunk of stream) chunks.push(chunk.choices[0]?.delta.content ?? "");
    expect(chunks.join("")).not.toBe("");

    const models = await sdk(key).models.list();
    expect(models.data.map((m) => m.id)).toEqual(["gpt-4o-mini"]);
    const denied = await sdk(key)
      .chat.completions.create({ model: `@${slug}/gpt-4o`, messages })
      .catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(PermissionDeniedError);
  });

  it("secure mode: a provider key or no key is a 401", async () => {
    const error = await sdk("sk-some-provider-key")
      .chat.completions.create({ model: "gpt-4o-mini", messages })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
  });

  it("a rate limit is a RateLimitError with Retry-After", async () => {
    const { key } = await admin<{ key: string }>("/keys", { name: "e2e-limited", rpm: 1 });
    await sdk(key).chat.completions.create({ model: `@${slug}/gpt-4o-mini`, messages });
    const error = await sdk(key)
      .chat.completions.create({ model: `@${slug}/gpt-4o-mini`, messages })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    const limited = error as RateLimitError;
    expect(Number(limited.headers?.get("retry-after"))).toBeGreaterThan(0);
    expect(limited.message).toMatch(/rate limit exceeded for gateway key "e2e-limited": 1 requests per minute/);
  });
});
