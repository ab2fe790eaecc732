/// <reference types="node" />
/**
 * The official `openai` SDK against the gateway under `wrangler dev`, with a fake Bedrock runtime on 127.0.0.1
 * (test/e2e/fake-bedrock.ts) that checks the SigV4 signature and speaks the binary event-stream.
 */
import OpenAI, { APIError, RateLimitError } from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AWS_CREDENTIALS, BEDROCK_PIECES, startFakeBedrock, type FakeBedrock } from "./fake-bedrock";
import { startGateway, type GatewayProcess } from "./gateway-process";

let fake: FakeBedrock;
let gateway: GatewayProcess;

beforeAll(async () => {
  fake = await startFakeBedrock();
  gateway = await startGateway();
});

afterAll(async () => {
  await gateway?.stop();
  await fake?.close();
});

beforeEach(() => {
  fake.requests.length = 0;
});

function client(): OpenAI {
  return new OpenAI({
    baseURL: `${gateway.origin}/v1`,
    apiKey: "unused-with-iam-credentials",
    maxRetries: 0,
    timeout: 20_000,
    defaultHeaders: {
      "x-portkey-provider": "bedrock",
      "x-portkey-custom-host": fake.origin,
      "x-portkey-aws-access-key-id": AWS_CREDENTIALS.accessKeyId,
      "x-portkey-aws-secret-access-key": AWS_CREDENTIALS.secretAccessKey,
      "x-portkey-aws-region": AWS_CREDENTIALS.region,
    },
  });
}

const MODEL = "eu.anthropic.claude-3-7-sonnet-20250219-v1:0";
const messages = [{ role: "user" as const, content: "Hello?" }];

describe("openai SDK -> gateway -> Bedrock (SigV4, event-stream)", () => {
  it("chat: a signed Converse call, the answer and usage in OpenAI's shape", async () => {
    const answer = await client().chat.completions.create({ model: MODEL, messages, max_tokens: 100 });
    expect(answer.choices[0]?.message.content).toBe(BEDROCK_PIECES.join(""));
    expect(answer.choices[0]?.finish_reason).toBe("stop");
    expect(answer.model).toBe(MODEL);
    expect(answer.usage).toMatchObject({
      prompt_tokens: 31,
      completion_tokens: 9,
      total_tokens: 40,
      prompt_tokens_details: { cached_tokens: 10 },
    });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.path).toBe("/model/eu.anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse");
    expect(fake.requests[0]?.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/\d{8}\/eu-central-1\/bedrock\/aws4_request/,
    );
    expect(fake.requests[0]?.body).toEqual({
      messages: [{ role: "user", content: [{ text: "Hello?" }] }],
      inferenceConfig: { maxTokens: 100 },
    });
  });

  it("stream: the binary event-stream, split at awkward bytes, arrives as OpenAI chunks with usage", async () => {
    const stream = await client().chat.completions.create({
      model: MODEL,
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let finish: string | null = null;
    let usage: unknown = null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe(BEDROCK_PIECES.join(""));
    expect(finish).toBe("stop");
    expect(usage).toMatchObject({ prompt_tokens: 31, completion_tokens: 9 });
    expect(fake.requests[0]?.path).toBe("/model/eu.anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse-stream");
  });

  it("stream: tool calls", async () => {
    const stream = await client().chat.completions.create({
      model: "tools",
      messages,
      stream: true,
      tools: [
        {
          type: "function",
          function: { name: "get_weather", parameters: { type: "object", properties: { city: { type: "string" } } } },
        },
      ],
    });
    let args = "";
    let name = "";
    let finish: string | null = null;
    for await (const chunk of stream) {
      for (const call of chunk.choices[0]?.delta.tool_calls ?? []) {
        name ||= call.function?.name ?? "";
        args += call.function?.arguments ?? "";
      }
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect({ name, args: JSON.parse(args) as unknown, finish }).toEqual({
      name: "get_weather",
      args: { city: "Paris" },
      finish: "tool_calls",
    });
  });

  it("errors: ThrottlingException is a 429 RateLimitError; an exception frame mid-stream raises an APIError", async () => {
    const throttled = await client()
      .chat.completions.create({ model: "throttle", messages })
      .catch((error: unknown) => error);
    expect(throttled).toBeInstanceOf(RateLimitError);
    expect((throttled as RateLimitError).code).toBe("ThrottlingException");

    const stream = await client().chat.completions.create({ model: "cut", messages, stream: true });
    let text = "";
    const failure = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    })().catch((error: unknown) => error);
    expect(text).toBe("Hé");
    expect(failure).toBeInstanceOf(APIError);
    expect((failure as APIError).message).toContain("The model stream failed midway.");
  });
});
