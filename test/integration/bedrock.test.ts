import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import {
  bedrockEvent,
  bedrockException,
  bedrockTextStream,
  concatBytes,
} from "../fixtures/bedrock/event-stream-encoder";
import { gateway, sseData, upstream, useFakeUpstreams } from "./harness";
import { adminCall } from "./admin-helpers";
import { callWithKey, createKey, createVirtualKey } from "./governance-helpers";
import { loggedRow, uniqueTrace } from "./observability-helpers";

useFakeUpstreams();

const HAIKU = "anthropic.claude-3-5-haiku-20241022-v1:0";
const HOST = "https://bedrock-runtime.us-east-1.amazonaws.com";
const CONVERSE = new RegExp(`^${HOST.replaceAll(".", "\\.")}/model/[^/]+/converse$`);
const CONVERSE_STREAM = new RegExp(`^${HOST.replaceAll(".", "\\.")}/model/[^/]+/converse-stream$`);
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const awsHeaders = {
  "x-portkey-provider": "bedrock",
  "x-portkey-aws-access-key-id": "AKIAIOSFODNN7EXAMPLE",
  "x-portkey-aws-secret-access-key": SECRET,
  "x-portkey-aws-session-token": "FwoGZXIvYXdzEXAMPLEsessiontoken",
  "x-portkey-aws-region": "us-east-1",
};
const ask = (extra: object = {}) => ({
  model: HAIKU,
  messages: [
    { role: "system", content: "Be brief." },
    { role: "user", content: "Hi" },
  ],
  ...extra,
});

/** `bytes` delivered in network reads of the given sizes, cycling (awkward, misaligned with frames). */
function bytesBody(bytes: Uint8Array, sizes: number[]): ReadableStream<Uint8Array> {
  let at = 0;
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      const size = sizes[i++ % sizes.length] ?? 1;
      controller.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
}

const eventStream = (body: ReadableStream<Uint8Array>) =>
  new HttpResponse(body, { headers: { "content-type": "application/vnd.amazon.eventstream" } });

interface Chunk {
  choices: Array<{
    delta: {
      content?: string;
      tool_calls?: Array<{ index: number; id?: string; function?: { name?: string; arguments?: string } }>;
    };
    finish_reason: string | null;
  }>;
  usage?: Record<string, unknown>;
}

describe("bedrock chat through the gateway", () => {
  it("signs with SigV4, maps request and answer, logs provider, tokens and the catalog's cost", async () => {
    let seen: { url: string; headers: Headers; body: unknown } | undefined;
    upstream.use(
      http.post(CONVERSE, async ({ request }) => {
        seen = { url: request.url, headers: request.headers, body: await request.json() };
        return HttpResponse.json({
          output: { message: { role: "assistant", content: [{ text: "Hello!" }] } },
          stopReason: "end_turn",
          usage: {
            inputTokens: 100,
            outputTokens: 50,
            totalTokens: 1350,
            cacheReadInputTokens: 1000,
            cacheWriteInputTokens: 200,
          },
          metrics: { latencyMs: 400 },
        });
      }),
    );
    const trace = uniqueTrace("bedrock-json");
    const res = await gateway({
      headers: { ...awsHeaders, "x-portkey-trace-id": trace },
      body: ask({ max_tokens: 64 }),
    });
    expect(res.status).toBe(200);
    expect(seen?.url).toBe(`${HOST}/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/converse`);
    expect(seen?.headers.get("authorization")).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/\d{8}\/us-east-1\/bedrock\/aws4_request, SignedHeaders=accept;host;x-amz-date;x-amz-security-token, Signature=[0-9a-f]{64}$/,
    );
    expect(seen?.headers.get("x-amz-security-token")).toBe("FwoGZXIvYXdzEXAMPLEsessiontoken");
    expect(seen?.headers.get("x-portkey-aws-secret-access-key")).toBeNull();
    expect(seen?.body).toEqual({
      system: [{ text: "Be brief." }],
      messages: [{ role: "user", content: [{ text: "Hi" }] }],
      inferenceConfig: { maxTokens: 64 },
    });
    const body = (await res.json()) as {
      model: string;
      choices: Array<{ message: { content: string }; finish_reason: string }>;
      usage: unknown;
    };
    expect(body.model).toBe(HAIKU);
    expect(body.choices[0]).toMatchObject({ message: { content: "Hello!" }, finish_reason: "stop" });
    expect(body.usage).toEqual({
      prompt_tokens: 1300,
      completion_tokens: 50,
      total_tokens: 1350,
      prompt_tokens_details: { cached_tokens: 1000 },
      cache_creation_input_tokens: 200,
    });

    const row = await loggedRow(trace);
    expect(row).toMatchObject({
      provider: "bedrock",
      status: 200,
      prompt_tokens: 1300,
      completion_tokens: 50,
      cached_tokens: 1000,
      cache_write_tokens: 200,
      cost_unpriced: 0,
    });
    // bedrock's table: input 8e-7, output 4e-6, cache read 8e-8, cache write 1e-6 (USD per token).
    expect(row.cost_usd).toBeCloseTo(100 * 8e-7 + 1000 * 8e-8 + 200 * 1e-6 + 50 * 4e-6, 12);
    expect(JSON.stringify(row)).not.toContain(SECRET);
  });

  it("a Bedrock API key goes as a bearer; a cross-region profile id is priced like its model", async () => {
    let auth: string | null = null;
    upstream.use(
      http.post(CONVERSE, ({ request }) => {
        auth = request.headers.get("authorization");
        return HttpResponse.json({
          output: { message: { role: "assistant", content: [{ text: "ok" }] } },
          stopReason: "end_turn",
          usage: { inputTokens: 10, outputTokens: 2, totalTokens: 12 },
        });
      }),
    );
    const trace = uniqueTrace("bedrock-bearer");
    const res = await gateway({
      headers: {
        "x-portkey-provider": "bedrock",
        authorization: "Bearer ABSKQmVkcm9ja0FQSUtleS1example",
        "x-portkey-aws-region": "us-east-1",
        "x-portkey-trace-id": trace,
      },
      body: ask({ model: `us.${HAIKU}` }),
    });
    expect(res.status).toBe(200);
    expect(auth).toBe("Bearer ABSKQmVkcm9ja0FQSUtleS1example");
    const row = await loggedRow(trace);
    expect(row.cost_usd).toBeCloseTo(10 * 8e-7 + 2 * 4e-6, 12);
  });

  it("streams the binary event-stream split at awkward bytes into OpenAI chunks, usage when asked", async () => {
    const bytes = bedrockTextStream(["Hel", "lo, ", "wörld 🌍"], { inputTokens: 12, outputTokens: 5, totalTokens: 17 });
    for (const sizes of [[1], [5, 3, 11], [13, 1, 64], [bytes.length - 1, 1]]) {
      upstream.use(http.post(CONVERSE_STREAM, () => eventStream(bytesBody(bytes, sizes))));
      const res = await gateway({
        headers: awsHeaders,
        body: ask({ stream: true, stream_options: { include_usage: true } }),
      });
      expect(res.headers.get("content-type")).toContain("text/event-stream");
      const data = await sseData(res);
      expect(data.at(-1), `sizes ${sizes.join(",")}`).toBe("[DONE]");
      const chunks = data.slice(0, -1).map((d) => JSON.parse(d) as Chunk);
      expect(chunks.map((c) => c.choices[0]?.delta.content ?? "").join("")).toBe("Hello, wörld 🌍");
      expect(chunks.flatMap((c) => c.choices).at(-1)?.finish_reason).toBe("stop");
      expect(chunks.at(-1)?.usage).toEqual({
        prompt_tokens: 12,
        completion_tokens: 5,
        total_tokens: 17,
        prompt_tokens_details: { cached_tokens: 0 },
      });
    }
  });

  it("streams tool calls with stable indices", async () => {
    const bytes = concatBytes([
      bedrockEvent("messageStart", { role: "assistant" }),
      bedrockEvent("contentBlockStart", {
        contentBlockIndex: 0,
        start: { toolUse: { toolUseId: "tooluse_A", name: "get_weather" } },
      }),
      bedrockEvent("contentBlockDelta", { contentBlockIndex: 0, delta: { toolUse: { input: '{"location":' } } }),
      bedrockEvent("contentBlockDelta", { contentBlockIndex: 0, delta: { toolUse: { input: '"Paris"}' } } }),
      bedrockEvent("contentBlockStop", { contentBlockIndex: 0 }),
      bedrockEvent("contentBlockStart", {
        contentBlockIndex: 1,
        start: { toolUse: { toolUseId: "tooluse_B", name: "get_time" } },
      }),
      bedrockEvent("contentBlockDelta", { contentBlockIndex: 1, delta: { toolUse: { input: "{}" } } }),
      bedrockEvent("contentBlockStop", { contentBlockIndex: 1 }),
      bedrockEvent("messageStop", { stopReason: "tool_use" }),
      bedrockEvent("metadata", {
        usage: { inputTokens: 40, outputTokens: 30, totalTokens: 70 },
        metrics: { latencyMs: 5 },
      }),
    ]);
    let sent: { toolConfig?: unknown } | undefined;
    upstream.use(
      http.post(CONVERSE_STREAM, async ({ request }) => {
        sent = (await request.json()) as { toolConfig?: unknown };
        return eventStream(bytesBody(bytes, [7, 29]));
      }),
    );
    const tools = [
      {
        type: "function",
        function: { name: "get_weather", parameters: { type: "object", properties: { location: { type: "string" } } } },
      },
      { type: "function", function: { name: "get_time" } },
    ];
    const data = await sseData(
      await gateway({ headers: awsHeaders, body: ask({ stream: true, tools, tool_choice: "auto" }) }),
    );
    expect(sent?.toolConfig).toEqual({
      tools: [
        {
          toolSpec: {
            name: "get_weather",
            inputSchema: { json: { type: "object", properties: { location: { type: "string" } } } },
          },
        },
        { toolSpec: { name: "get_time", inputSchema: { json: { type: "object", properties: {} } } } },
      ],
      toolChoice: { auto: {} },
    });
    expect(data.at(-1)).toBe("[DONE]");
    const calls: Array<{ id: string; name: string; arguments: string }> = [];
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d) as Chunk);
    for (const delta of chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? [])) {
      const call = (calls[delta.index] ??= { id: "", name: "", arguments: "" });
      call.id ||= delta.id ?? "";
      call.name ||= delta.function?.name ?? "";
      call.arguments += delta.function?.arguments ?? "";
    }
    expect(calls).toEqual([
      { id: "tooluse_A", name: "get_weather", arguments: '{"location":"Paris"}' },
      { id: "tooluse_B", name: "get_time", arguments: "{}" },
    ]);
    expect(chunks.flatMap((c) => c.choices).at(-1)?.finish_reason).toBe("tool_calls");
    // The client did not ask for usage: no usage chunk.
    expect(chunks.some((c) => c.usage)).toBe(false);
  });

  it("an exception frame mid-stream ends the client's stream with an error event, never [DONE], and is logged", async () => {
    const bytes = concatBytes([
      bedrockEvent("messageStart", { role: "assistant" }),
      bedrockEvent("contentBlockDelta", { contentBlockIndex: 0, delta: { text: "Par" } }),
      bedrockException("modelStreamErrorException", "The model stream was interrupted."),
    ]);
    upstream.use(http.post(CONVERSE_STREAM, () => eventStream(bytesBody(bytes, [17]))));
    const trace = uniqueTrace("bedrock-cut");
    const data = await sseData(
      await gateway({ headers: { ...awsHeaders, "x-portkey-trace-id": trace }, body: ask({ stream: true }) }),
    );
    expect(data).not.toContain("[DONE]");
    expect(JSON.parse(data.at(-1) ?? "")).toEqual({
      error: {
        message: "upstream stream was interrupted: The model stream was interrupted.",
        type: "api_error",
        param: null,
        code: "ModelStreamErrorException",
      },
    });
    expect(JSON.parse(data[1] ?? "").choices[0].delta).toEqual({ content: "Par" });
    const row = await loggedRow(trace);
    expect(row.stream_error).toContain("The model stream was interrupted.");
  });

  it("a stream whose connection closes inside a frame is reported as incomplete", async () => {
    const bytes = bedrockTextStream(["abc"]);
    upstream.use(http.post(CONVERSE_STREAM, () => eventStream(bytesBody(bytes.slice(0, bytes.length - 40), [9]))));
    const data = await sseData(await gateway({ headers: awsHeaders, body: ask({ stream: true }) }));
    expect(data).not.toContain("[DONE]");
    expect(JSON.parse(data.at(-1) ?? "")).toMatchObject({ error: { code: "upstream_stream_incomplete" } });
  });
});

describe("bedrock errors", () => {
  const awsError = (status: number, type: string, message: string) =>
    HttpResponse.json(
      { message },
      { status, headers: { "x-amzn-errortype": `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/` } },
    );

  it.each([
    [429, "ThrottlingException", "Too many requests, please wait before trying again.", 429, "rate_limit_error"],
    [400, "ValidationException", "The provided model identifier is invalid.", 400, "invalid_request_error"],
    [
      403,
      "AccessDeniedException",
      "You don't have access to the model with the specified model ID.",
      403,
      "permission_error",
    ],
    [429, "ModelNotReadyException", "Model is not ready to serve inference requests.", 503, "api_error"],
    [503, "ServiceUnavailableException", "Bedrock is unable to process your request.", 503, "api_error"],
  ])("%i %s -> %i in the OpenAI envelope", async (status, type, message, expectedStatus, expectedType) => {
    upstream.use(http.post(CONVERSE, () => awsError(status, type, message)));
    const res = await gateway({ headers: awsHeaders, body: ask() });
    expect(res.status).toBe(expectedStatus);
    expect(await res.json()).toEqual({ error: { message, type: expectedType, param: null, code: type } });
  });

  it("refuses a model id that would leave the model path, and a bad region, before any call", async () => {
    const bad = await gateway({ headers: awsHeaders, body: ask({ model: "../../../evil" }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { param: string } }).error.param).toBe("model");
    const region = await gateway({
      headers: { ...awsHeaders, "x-portkey-aws-region": "us-east-1.evil.example" },
      body: ask(),
    });
    expect(region.status).toBe(400);
    expect(((await region.json()) as { error: { param: string } }).error.param).toBe("x-portkey-aws-region");
  });
});

describe("bedrock in configs", () => {
  it("falls back from a throttled Bedrock target to Anthropic, with aws_* fields on the config target", async () => {
    let bedrockCalls = 0;
    upstream.use(
      http.post(CONVERSE, () => {
        bedrockCalls++;
        return HttpResponse.json(
          { message: "Too many requests" },
          { status: 429, headers: { "x-amzn-errortype": "ThrottlingException:http://internal.amazon.com/" } },
        );
      }),
      http.post("https://api.anthropic.com/v1/messages", () =>
        HttpResponse.json({
          id: "msg_1",
          type: "message",
          role: "assistant",
          model: "claude-3-5-haiku-20241022",
          content: [{ type: "text", text: "from anthropic" }],
          stop_reason: "end_turn",
          usage: { input_tokens: 5, output_tokens: 3 },
        }),
      ),
    );
    const config = {
      strategy: { mode: "fallback" },
      targets: [
        {
          provider: "bedrock",
          aws_access_key_id: "AKIAIOSFODNN7EXAMPLE",
          aws_secret_access_key: SECRET,
          aws_region: "us-east-1",
        },
        {
          provider: "anthropic",
          api_key: "sk-ant-test-key-123456",
          override_params: { model: "claude-3-5-haiku-20241022" },
        },
      ],
    };
    const res = await gateway({ headers: { "x-portkey-config": JSON.stringify(config) }, body: ask() });
    expect(res.status).toBe(200);
    expect(bedrockCalls).toBe(1);
    expect(res.headers.get("x-portkey-last-used-option-index")).toBe("config.targets[1]");
    expect(
      ((await res.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]?.message.content,
    ).toBe("from anthropic");
  });
});

describe("bedrock embeddings", () => {
  it("Titan through /invoke, with dimensions", async () => {
    let seen: { url: string; body: unknown } | undefined;
    upstream.use(
      http.post(
        /^https:\/\/bedrock-runtime\.us-east-1\.amazonaws\.com\/model\/amazon\.titan-embed-text-v2%3A0\/invoke$/,
        async ({ request }) => {
          seen = { url: request.url, body: await request.json() };
          return HttpResponse.json({ embedding: [0.1, 0.2, 0.3], inputTextTokenCount: 4 });
        },
      ),
    );
    const res = await gateway({
      path: "/v1/embeddings",
      headers: awsHeaders,
      body: { model: "amazon.titan-embed-text-v2:0", input: "hello world", dimensions: 256 },
    });
    expect(res.status).toBe(200);
    expect(seen?.body).toEqual({ inputText: "hello world", dimensions: 256 });
    expect(await res.json()).toEqual({
      object: "list",
      data: [{ object: "embedding", index: 0, embedding: [0.1, 0.2, 0.3] }],
      model: "amazon.titan-embed-text-v2:0",
      usage: { prompt_tokens: 4, total_tokens: 4 },
    });
  });
});

describe("bedrock virtual keys", () => {
  it("stores IAM credentials sealed; requests are signed with them in the stored region, never echoed", async () => {
    const vk = await createVirtualKey({
      provider: "bedrock",
      api_key: SECRET,
      aws_access_key_id: "AKIAIOSFODNN7VKEYAAA",
      aws_region: "eu-west-1",
    });
    expect(vk.secret).toBe(SECRET);
    let seen: { url: string; authorization: string | null } | undefined;
    upstream.use(
      http.post(/^https:\/\/bedrock-runtime\.eu-west-1\.amazonaws\.com\/model\/[^/]+\/converse$/, ({ request }) => {
        seen = { url: request.url, authorization: request.headers.get("authorization") };
        return HttpResponse.json(
          { message: `The security token included in the request is invalid: ${SECRET}` },
          { status: 403, headers: { "x-amzn-errortype": "UnrecognizedClientException:http://internal.amazon.com/" } },
        );
      }),
    );
    const { key } = await createKey();
    const res = await callWithKey(key, ask({ model: `@${vk.slug}/${HAIKU}` }));
    expect(seen?.url).toBe(
      "https://bedrock-runtime.eu-west-1.amazonaws.com/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/converse",
    );
    expect(seen?.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7VKEYAAA\/\d{8}\/eu-west-1\/bedrock\/aws4_request, /,
    );
    expect(res.status).toBe(403);
    const text = await res.text();
    expect(text).not.toContain(SECRET);
    expect(JSON.parse(text)).toMatchObject({
      error: { code: "UnrecognizedClientException", type: "permission_error" },
    });
  });

  it("a Bedrock virtual key needs a region, and aws_* options belong to bedrock only", async () => {
    const missing = await adminCall({
      method: "POST",
      path: "/virtual-keys",
      body: { slug: `vk-${crypto.randomUUID().slice(0, 8)}`, provider: "bedrock", api_key: SECRET },
    });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: { param: string } }).error.param).toBe("aws_region");
    const wrong = await adminCall({
      method: "POST",
      path: "/virtual-keys",
      body: {
        slug: `vk-${crypto.randomUUID().slice(0, 8)}`,
        provider: "openai",
        api_key: SECRET,
        aws_region: "us-east-1",
      },
    });
    expect(wrong.status).toBe(400);
    const badRegion = await adminCall({
      method: "POST",
      path: "/virtual-keys",
      body: {
        slug: `vk-${crypto.randomUUID().slice(0, 8)}`,
        provider: "bedrock",
        api_key: SECRET,
        aws_region: "us-east-1.evil",
      },
    });
    expect(badRegion.status).toBe(400);
  });
});
