/// <reference types="node" />
/**
 * The official `openai` SDK against the gateway under `wrangler dev`, with a fake Vertex AI on 127.0.0.1
 * (test/e2e/fake-vertex.ts) that is also the OAuth token endpoint (the gateway exchanges at `{custom_host}/token`)
 * and verifies the service-account JWT with the public half of the key pair generated here.
 */
import OpenAI, { AuthenticationError } from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { makeServiceAccount, type FakeServiceAccount } from "../fixtures/vertex/service-account";
import { CLAUDE_PIECES, GEMINI_PIECES, startFakeVertex, VERTEX_REGION, type FakeVertex } from "./fake-vertex";
import { startGateway, type GatewayProcess } from "./gateway-process";

const EMAIL = "gateway-e2e@acme-prod.iam.gserviceaccount.com";
let account: FakeServiceAccount;
let fake: FakeVertex;
let gateway: GatewayProcess;

beforeAll(async () => {
  account = await makeServiceAccount(EMAIL);
  fake = await startFakeVertex(account.publicKey, EMAIL);
  gateway = await startGateway();
});

afterAll(async () => {
  await gateway?.stop();
  await fake?.close();
});

beforeEach(() => {
  fake.calls.length = 0;
});

function client(keyFile = account.text): OpenAI {
  return new OpenAI({
    baseURL: `${gateway.origin}/v1`,
    apiKey: "unused-with-a-service-account",
    maxRetries: 0,
    timeout: 20_000,
    defaultHeaders: {
      "x-portkey-provider": "vertex-ai",
      "x-portkey-custom-host": fake.origin,
      "x-portkey-vertex-service-account-json": keyFile,
      "x-portkey-vertex-region": VERTEX_REGION,
    },
  });
}

const messages = [{ role: "user" as const, content: "Why is the sky blue?" }];

async function collect(stream: AsyncIterable<OpenAI.ChatCompletionChunk>) {
  let text = "";
  let finish: string | null = null;
  let usage: OpenAI.CompletionUsage | null = null;
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta.content ?? "";
    finish = chunk.choices[0]?.finish_reason ?? finish;
    usage = chunk.usage ?? usage;
  }
  return { text, finish, usage };
}

describe("openai SDK -> gateway -> Vertex AI (service account, Gemini and Claude)", () => {
  it("Gemini chat: a verified JWT buys the token; generateContent answers in OpenAI's shape", async () => {
    const answer = await client().chat.completions.create({ model: "gemini-2.5-flash", messages, max_tokens: 50 });
    expect(answer.choices[0]?.message.content).toBe(GEMINI_PIECES.join(""));
    expect(answer.choices[0]?.finish_reason).toBe("stop");
    expect(answer.usage).toMatchObject({ prompt_tokens: 7, completion_tokens: 12, total_tokens: 19 });
    expect(fake.calls).toMatchObject([
      {
        publisher: "google",
        model: "gemini-2.5-flash",
        method: "generateContent",
        body: { contents: [{ role: "user", parts: [{ text: "Why is the sky blue?" }] }] },
      },
    ]);
    expect(fake.calls[0]?.body).toMatchObject({ generationConfig: { maxOutputTokens: 50 } });
    expect(fake.assertions[0]).toMatchObject({ iss: EMAIL, aud: "https://oauth2.googleapis.com/token" });
  });

  it("Gemini stream: streamGenerateContent?alt=sse split at awkward bytes arrives as chunks with usage", async () => {
    const stream = await client().chat.completions.create({
      model: "gemini-2.5-flash",
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const { text, finish, usage } = await collect(stream);
    expect(text).toBe(GEMINI_PIECES.join(""));
    expect(finish).toBe("stop");
    expect(usage).toMatchObject({ prompt_tokens: 7, completion_tokens: 12 });
    expect(fake.calls[0]).toMatchObject({ method: "streamGenerateContent", query: "?alt=sse" });
  });

  it("Claude chat: rawPredict with vertex-2023-10-16 and no model in the body", async () => {
    const answer = await client().chat.completions.create({
      model: "claude-sonnet-4-5@20250929",
      messages,
      max_tokens: 300,
    });
    expect(answer.choices[0]?.message.content).toBe(CLAUDE_PIECES.join(""));
    expect(answer.choices[0]?.finish_reason).toBe("stop");
    expect(answer.usage).toMatchObject({ prompt_tokens: 14, completion_tokens: 8 });
    expect(fake.calls[0]).toMatchObject({
      publisher: "anthropic",
      model: "claude-sonnet-4-5@20250929",
      method: "rawPredict",
      body: { anthropic_version: "vertex-2023-10-16", max_tokens: 300 },
    });
  });

  it("Claude stream: streamRawPredict's named events, split at awkward bytes, arrive as chunks", async () => {
    const stream = await client().chat.completions.create({
      model: "anthropic.claude-sonnet-4-5@20250929",
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const { text, finish, usage } = await collect(stream);
    expect(text).toBe(CLAUDE_PIECES.join(""));
    expect(finish).toBe("stop");
    expect(usage).toMatchObject({ prompt_tokens: 14, completion_tokens: 8 });
    expect(fake.calls[0]).toMatchObject({ model: "claude-sonnet-4-5@20250929", method: "streamRawPredict" });
    // One exchange served all four calls: the token is cached in the isolate.
    expect(fake.assertions).toHaveLength(1);
  });

  it("a key pair the token endpoint does not trust is refused: 401, and Vertex is never called", async () => {
    const stranger = await makeServiceAccount(EMAIL, "other-key");
    const failure = await client(stranger.text)
      .chat.completions.create({ model: "gemini-2.5-flash", messages })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AuthenticationError);
    expect((failure as AuthenticationError).code).toBe("invalid_service_account");
    expect((failure as AuthenticationError).message).not.toContain("PRIVATE KEY");
    expect(fake.refused).toBe(1);
    expect(fake.calls).toHaveLength(0);
  });
});
