import { describe, expect, it } from "vitest";
import { parseSseText } from "../../providers/shared/sse";
import {
  IncompleteStreamError,
  UnsupportedParameterError,
  type ResolvedTarget,
  type ResponseContext,
} from "../../providers/types";
import { workersAiAdapter } from "../../providers/workers-ai";
import type { ChatCompletionRequest, EmbeddingsRequest } from "../../schema/openai-request";
import type { ChatCompletionChunk } from "../../schema/openai-response";
import {
  cutStream,
  embeddingResult,
  restEnvelope,
  restError,
  textResult,
  textStream,
  toolResult,
} from "../fixtures/workers-ai/answers";

const MODEL = "@cf/meta/llama-3.1-8b-instruct";
const ACCOUNT = "0123456789abcdef0123456789abcdef";
const ctx: ResponseContext = { model: MODEL, fallbackId: "chatcmpl-wai", created: 1_750_000_000 };
const binding = { provider: "workers-ai" } as ResolvedTarget;
const rest = { provider: "workers-ai", apiKey: "cf-token-123", cloudflareAccountId: ACCOUNT } as ResolvedTarget;
const ask = (extra: Partial<ChatCompletionRequest> = {}) =>
  ({
    model: MODEL,
    messages: [
      { role: "system", content: "Be brief." },
      { role: "user", content: [{ type: "text", text: "Hi" }] },
    ],
    ...extra,
  }) as ChatCompletionRequest;

function run(text: string): ChatCompletionChunk[] {
  const mapper = workersAiAdapter.chat.createStreamMapper(ctx);
  return [...parseSseText(text).flatMap((event) => mapper.onEvent(event)), ...mapper.end()];
}

describe("workers-ai requests", () => {
  it("without a credential: a binding call with the model and inputs", () => {
    const call = workersAiAdapter.chat.buildRequest(
      ask({ stream: true, max_completion_tokens: 512, temperature: 0.2 }),
      binding,
    );
    expect(call.binding).toEqual({
      name: "AI",
      model: MODEL,
      inputs: {
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "Hi" },
        ],
        stream: true,
        max_tokens: 512,
        temperature: 0.2,
      },
    });
  });

  it("with a token: the REST run URL of the account, bearer auth, the same inputs", () => {
    const call = workersAiAdapter.chat.buildRequest(ask(), rest);
    expect(call.binding).toBeUndefined();
    expect(call.url).toBe(`https://api.cloudflare.com/client/v4/accounts/${ACCOUNT}/ai/run/${MODEL}`);
    expect(call.headers.authorization).toBe("Bearer cf-token-123");
    expect(JSON.parse(call.body)).toEqual({
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi" },
      ],
    });
  });

  it("refuses model ids that are not @cf/@hf paths and a token without an account", () => {
    expect(() => workersAiAdapter.chat.buildRequest(ask({ model: "@cf/../../accounts/x" }), binding)).toThrow(
      UnsupportedParameterError,
    );
    expect(() =>
      workersAiAdapter.chat.buildRequest(ask(), { provider: "workers-ai", apiKey: "t" } as ResolvedTarget),
    ).toThrow(/x-portkey-workers-ai-account-id/);
  });
});

describe("workers-ai responses", () => {
  it("maps the binding's object and the REST envelope alike", () => {
    for (const body of [textResult, restEnvelope(textResult)]) {
      const out = workersAiAdapter.chat.parseResponse(body, ctx);
      expect(out.choices[0]).toEqual({
        index: 0,
        message: { role: "assistant", content: "Hello from the edge." },
        finish_reason: "stop",
        logprobs: null,
      });
      expect(out.usage).toEqual({ prompt_tokens: 18, completion_tokens: 6, total_tokens: 24 });
    }
  });

  it("turns {name, arguments: object} tool calls into OpenAI's with string arguments", () => {
    const out = workersAiAdapter.chat.parseResponse(toolResult, ctx);
    const call = out.choices[0]?.message.tool_calls?.[0];
    expect(call).toMatchObject({
      type: "function",
      function: { name: "get_weather", arguments: '{"location":"Lisbon"}' },
    });
    expect(call?.id).toMatch(/^call_[0-9a-f]{24}$/);
    expect(out.choices[0]?.finish_reason).toBe("tool_calls");
  });

  it("streams: role, tokens, finish and usage at [DONE]; a stream without [DONE] is cut", () => {
    const chunks = run(textStream);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? null)).toEqual([
      "",
      "Hel",
      "lo from",
      " the edge. ⛅",
      null,
      null,
    ]);
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe("stop");
    expect(chunks.at(-1)?.usage).toEqual({ prompt_tokens: 18, completion_tokens: 6, total_tokens: 24 });
    expect(() => run(cutStream)).toThrow(IncompleteStreamError);
  });

  it("embeddings: {text: [...]} in, vectors in order out", () => {
    const request: EmbeddingsRequest = { model: "@cf/baai/bge-small-en-v1.5", input: ["a", "b"] };
    expect(workersAiAdapter.embeddings?.buildRequest(request, binding).binding?.inputs).toEqual({ text: ["a", "b"] });
    const out = workersAiAdapter.embeddings?.parseResponse(
      restEnvelope(embeddingResult),
      { ...ctx, model: request.model },
      request,
    );
    expect(out?.data.map((d) => d.embedding)).toEqual(embeddingResult.data);
  });

  it("errors: Cloudflare's first error message and code", () => {
    expect(workersAiAdapter.parseError(400, JSON.stringify(restError))).toEqual({
      message: restError.errors[0]?.message,
      type: "invalid_request_error",
      code: "7003",
      param: null,
    });
  });
});
