/// <reference types="node" />
/**
 * The prompt registry from the official `openai` SDK under `wrangler dev`: a prompt saved through the admin API is
 * run with `client.post("/prompts/{slug}/completions")`, against a fake OpenAI server on 127.0.0.1 reached through
 * `x-portkey-custom-host`. The portkey-ai SDK's prompts.completions.create is in prompts-portkey-sdk.test.ts.
 */
import OpenAI from "openai";
import type { ChatCompletion } from "openai/resources/chat/completions";
import { afterAll, beforeAll, expect, it } from "vitest";
import { REPLY_TEXT, startFakeProviders, type FakeProviders } from "./fake-providers";
import { startGateway, type GatewayProcess } from "./gateway-process";

const ADMIN_TOKEN = "e2e-prompts-admin-token";
let fake: FakeProviders;
let gateway: GatewayProcess;

beforeAll(async () => {
  fake = await startFakeProviders();
  gateway = await startGateway({ vars: { ADMIN_TOKEN } });
});

afterAll(async () => {
  await gateway?.stop();
  await fake?.close();
});

async function admin(method: string, path: string, body: unknown): Promise<void> {
  const res = await fetch(`${gateway.origin}/admin${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(res.status, await res.text()).toBeLessThan(300);
}

it("client.post runs a saved prompt at its production label and gets a chat completion", async () => {
  const slug = `e2e-${Date.now()}`;
  await admin("POST", "/prompts", {
    slug,
    model: "gpt-4o-mini",
    messages: [{ role: "user", content: "Say hi in {{lang}} & <b>" }],
    params: { temperature: 0.1 },
  });
  await admin("PUT", `/prompts/${slug}`, {
    model: "gpt-4o-mini",
    messages: [{ role: "user", content: "v2 {{lang}}" }],
  });
  await admin("PUT", `/prompts/${slug}/labels/production`, { version: 1 });

  const client = new OpenAI({
    baseURL: `${gateway.origin}/v1`,
    apiKey: "sk-fake",
    maxRetries: 0,
    defaultHeaders: { "x-portkey-provider": "openai", "x-portkey-custom-host": fake.hosts.openai },
  });
  const { data, response } = await client
    .post<ChatCompletion>(`/prompts/${slug}/completions`, {
      body: { variables: { lang: "French" }, max_tokens: 9 },
    })
    .withResponse();
  expect(data.object).toBe("chat.completion");
  expect(data.choices[0]?.message.content).toBe(REPLY_TEXT);
  expect(response.headers.get("x-portkey-prompt-version")).toBe("1");
  const sent = fake.last();
  expect(sent.path).toBe("/openai/v1/chat/completions");
  expect(sent.body).toEqual({
    model: "gpt-4o-mini",
    temperature: 0.1,
    max_tokens: 9,
    messages: [{ role: "user", content: "Say hi in French & <b>" }],
  });
});
