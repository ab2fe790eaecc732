/// <reference types="node" />
/**
 * The prompt registry from the portkey-ai SDK (v3) under `wrangler dev`, used as Portkey documents it: the client's
 * apiKey is a gateway key (sent as x-portkey-api-key), virtualKey a stored provider credential (x-portkey-virtual-key),
 * and `portkey.prompts.completions.create({ promptID, variables })` posts to `/v1/prompts/{promptID}/completions`
 * with `stream` always in the body. The fake OpenAI server on 127.0.0.1 (fake-providers.ts) streams at awkward byte
 * boundaries; the log row is read back through GET /admin/logs/{trace id} once the queue consumer wrote it.
 */
import { Portkey } from "portkey-ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPLY_TEXT, startFakeProviders, type FakeProviders } from "./fake-providers";
import { startGateway, type GatewayProcess } from "./gateway-process";

const ADMIN_TOKEN = "e2e-prompts-portkey-admin-token";
const PROVIDER_SECRET = "sk-e2e-prompts-vault-secret-0042";
/** A key-shaped variable value: it must reach the provider (it is content) but never the log row. */
const PASTED_KEY = "sk-proj-e2eabcdefghijklmnopqrstuvwxyz0123";

let fake: FakeProviders;
let gateway: GatewayProcess;

beforeAll(async () => {
  fake = await startFakeProviders();
  gateway = await startGateway({
    vars: {
      PASSTHROUGH_MODE: "false",
      ADMIN_TOKEN,
      LOG_BODIES: "true",
      VAULT_KEY: "ZTJlLW9ubHktdmF1bHQta2V5LTMyLWJ5dGVzLi4uLi4",
    },
  });
});

afterAll(async () => {
  await gateway?.stop();
  await fake?.close();
});

async function admin<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${gateway.origin}/admin${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  expect(res.status, text).toBeLessThan(300);
  return JSON.parse(text) as T;
}

interface LoggedRequest {
  status: number;
  stream: boolean;
  prompt?: { id: string; version: number; label: string | null };
  bodies: { prompt_variables?: string } | null;
}

/** The log row of a trace, once the queue consumer has written it (the batch timeout is 5 s under wrangler dev). */
async function loggedRequest(traceId: string): Promise<LoggedRequest> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await fetch(`${gateway.origin}/admin/logs/${traceId}`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    const text = await res.text();
    if (res.status === 200) {
      const { data } = JSON.parse(text) as { data: LoggedRequest[] };
      expect(data).toHaveLength(1);
      return data[0] as LoggedRequest;
    }
    expect(res.status, text).toBe(404);
    if (Date.now() > deadline) throw new Error(`no log row for ${traceId}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

// Generous: the first request compiles the Worker, and the log row waits for the queue batch (5 s) under load.
describe("portkey.prompts.completions.create", { timeout: 90_000 }, () => {
  let slug: string;
  let promptId: string;
  let gatewayKey: string;
  let virtualKey: string;

  beforeAll(async () => {
    const stamp = Date.now();
    virtualKey = `vk-prompts-${stamp}`;
    await admin("POST", "/virtual-keys", {
      slug: virtualKey,
      provider: "openai",
      api_key: PROVIDER_SECRET,
      custom_host: fake.hosts.openai,
    });
    ({ key: gatewayKey } = await admin<{ key: string }>("POST", "/keys", { name: "e2e-prompts" }));
    slug = `portkey-sdk-${stamp}`;
    ({ id: promptId } = await admin<{ id: string }>("POST", "/prompts", {
      slug,
      model: "gpt-4o-mini",
      messages: [
        { role: "system", content: "Answer in {{lang}}." },
        { role: "user", content: "{{question}}" },
      ],
      params: { temperature: 0.3 },
    }));
    await admin("PUT", `/prompts/${slug}`, {
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "v2 {{lang}}" }],
    });
    await admin("PUT", `/prompts/${slug}/labels/production`, { version: 1 });
  });

  const client = (traceID: string) =>
    new Portkey({ baseURL: `${gateway.origin}/v1`, apiKey: gatewayKey, virtualKey, traceID, maxRetries: 0 });

  it("JSON: the production version's answer, its version in the headers, one log row with the prompt fields", async () => {
    const trace = `e2e-portkey-prompt-${crypto.randomUUID()}`;
    fake.reset();
    const answer = await client(trace).prompts.completions.create({
      promptID: slug,
      variables: { lang: "French", question: `Is ${PASTED_KEY} a key?` },
      max_tokens: 9,
    });
    expect(answer.object).toBe("chat.completion");
    expect(answer.choices[0]?.message.content).toBe(REPLY_TEXT);
    // The SDK exposes the x-portkey-* response headers without their prefix.
    expect(answer.getHeaders?.()?.["prompt-version"]).toBe("1");

    const sent = fake.last();
    expect(sent.path).toBe("/openai/v1/chat/completions");
    expect(sent.headers.authorization).toBe(`Bearer ${PROVIDER_SECRET}`);
    expect(sent.body).toEqual({
      model: "gpt-4o-mini",
      temperature: 0.3,
      max_tokens: 9,
      stream: false,
      messages: [
        { role: "system", content: "Answer in French." },
        { role: "user", content: `Is ${PASTED_KEY} a key?` },
      ],
    });

    const logged = await loggedRequest(trace);
    expect(logged).toMatchObject({
      status: 200,
      stream: false,
      prompt: { id: promptId, version: 1, label: "production" },
    });
    expect(logged.bodies?.prompt_variables).toBe(JSON.stringify({ lang: "French", question: "Is [REDACTED] a key?" }));
  });

  it("render: prompts.render answers the chat request the version would send (the SDK's promptID left out)", async () => {
    fake.reset();
    const rendered = await client(`e2e-portkey-render-${crypto.randomUUID()}`).prompts.render({
      promptID: slug,
      variables: { lang: "Italian", question: "Ciao?" },
    });
    expect(rendered.success).toBe(true);
    expect(rendered.data).toEqual({
      model: "gpt-4o-mini",
      temperature: 0.3,
      messages: [
        { role: "system", content: "Answer in Italian." },
        { role: "user", content: "Ciao?" },
      ],
    });
    expect(fake.requests).toHaveLength(0);
  });

  it("stream: chat chunks at @latest, the version header, one log row for the stream", async () => {
    const trace = `e2e-portkey-prompt-stream-${crypto.randomUUID()}`;
    fake.reset();
    const portkey = client(trace);
    const stream = await portkey.prompts.completions.create({
      promptID: `${slug}@latest`,
      variables: { lang: "German" },
      stream: true,
    });
    let text = "";
    for await (const chunk of stream as AsyncIterable<{ choices: Array<{ delta?: { content?: string } }> }>) {
      text += chunk.choices[0]?.delta?.content ?? "";
    }
    expect(text).toBe(REPLY_TEXT);
    expect(portkey.responseHeaders["x-portkey-prompt-version"]).toBe("2");
    expect(fake.last().body).toMatchObject({ stream: true, messages: [{ role: "user", content: "v2 German" }] });

    const logged = await loggedRequest(trace);
    expect(logged).toMatchObject({ status: 200, stream: true, prompt: { id: promptId, version: 2, label: null } });
    expect(logged.bodies?.prompt_variables).toBe(JSON.stringify({ lang: "German" }));
  });
});
