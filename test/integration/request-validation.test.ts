import { http, HttpResponse, type JsonBodyType } from "msw";
import { beforeEach, describe, expect, it } from "vitest";
import { gateway, upstream, useFakeUpstreams } from "./harness";

useFakeUpstreams();

/**
 * Every documented OpenAI request field is checked by type and range before anything goes upstream: a wrong value
 * is a 400 naming the field, and the provider is never called. Unknown fields still pass through.
 */

type Operation = "chat/completions" | "completions" | "embeddings";

const BASES: Record<Operation, Record<string, unknown>> = {
  "chat/completions": { model: "gpt-4o-mini", messages: [{ role: "user", content: "Hi" }] },
  completions: { model: "gpt-3.5-turbo-instruct", prompt: "Hi" },
  embeddings: { model: "text-embedding-3-small", input: "Hi" },
};

const REPLIES: Record<Operation, JsonBodyType> = {
  "chat/completions": {
    id: "chatcmpl-v",
    object: "chat.completion",
    created: 1,
    model: "gpt-4o-mini",
    choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop", logprobs: null }],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  },
  completions: {
    id: "cmpl-v",
    object: "text_completion",
    created: 1,
    model: "gpt-3.5-turbo-instruct",
    choices: [{ index: 0, text: "ok", finish_reason: "stop", logprobs: null }],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  },
  embeddings: {
    object: "list",
    model: "text-embedding-3-small",
    data: [{ object: "embedding", index: 0, embedding: [0.1, 0.2] }],
    usage: { prompt_tokens: 1, total_tokens: 1 },
  },
};

let calls: Record<string, unknown>[] = [];

beforeEach(() => {
  calls = [];
  for (const operation of Object.keys(REPLIES) as Operation[]) {
    upstream.use(
      http.post(`https://api.openai.com/v1/${operation}`, async ({ request }) => {
        calls.push((await request.json()) as Record<string, unknown>);
        return HttpResponse.json(REPLIES[operation]);
      }),
    );
  }
});

function post(operation: Operation, fields: Record<string, unknown>): Promise<Response> {
  return gateway({
    path: `/v1/${operation}`,
    headers: { "x-portkey-provider": "openai", authorization: "Bearer sk-test" },
    body: { ...BASES[operation], ...fields },
  });
}

/** [operation, field, wrong value, expected param]. */
const WRONG: [Operation, string, unknown, string][] = [
  ["chat/completions", "logit_bias", "x", "logit_bias"],
  ["chat/completions", "logit_bias", { "50256": 101 }, "logit_bias.50256"],
  ["chat/completions", "logit_bias", { hello: 1 }, "logit_bias.hello"],
  ["chat/completions", "logit_bias", { "50256": "1" }, "logit_bias.50256"],
  ["chat/completions", "top_logprobs", -1, "top_logprobs"],
  ["chat/completions", "top_logprobs", 21, "top_logprobs"],
  ["chat/completions", "top_logprobs", 1.5, "top_logprobs"],
  ["chat/completions", "metadata", 5, "metadata"],
  ["chat/completions", "metadata", { tier: 1 }, "metadata.tier"],
  [
    "chat/completions",
    "metadata",
    Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, "v"])),
    "metadata",
  ],
  ["chat/completions", "metadata", { ["k".repeat(65)]: "v" }, `metadata.${"k".repeat(65)}`],
  ["chat/completions", "metadata", { k: "v".repeat(513) }, "metadata.k"],
  ["chat/completions", "logprobs", "x", "logprobs"],
  ["chat/completions", "logprobs", 1, "logprobs"],
  ["chat/completions", "audio", "alloy", "audio"],
  ["chat/completions", "audio", { voice: "alloy", format: "ogg" }, "audio.format"],
  ["chat/completions", "frequency_penalty", 2.5, "frequency_penalty"],
  ["chat/completions", "presence_penalty", "0", "presence_penalty"],
  ["chat/completions", "function_call", "always", "function_call"],
  ["chat/completions", "functions", [{ description: "no name" }], "functions[0].name"],
  ["chat/completions", "functions", {}, "functions"],
  ["chat/completions", "max_completion_tokens", 0, "max_completion_tokens"],
  ["chat/completions", "max_tokens", 1.5, "max_tokens"],
  ["chat/completions", "modalities", ["video"], "modalities[0]"],
  ["chat/completions", "modalities", "text", "modalities"],
  ["chat/completions", "n", 0, "n"],
  ["chat/completions", "parallel_tool_calls", "yes", "parallel_tool_calls"],
  ["chat/completions", "prediction", { type: "content" }, "prediction.content"],
  ["chat/completions", "prediction", "guess", "prediction"],
  ["chat/completions", "prompt_cache_key", 7, "prompt_cache_key"],
  ["chat/completions", "prompt_cache_retention", "forever", "prompt_cache_retention"],
  ["chat/completions", "reasoning_effort", "extreme", "reasoning_effort"],
  ["chat/completions", "response_format", { type: "yaml" }, "response_format.type"],
  ["chat/completions", "safety_identifier", { id: 1 }, "safety_identifier"],
  ["chat/completions", "seed", 1.5, "seed"],
  ["chat/completions", "service_tier", "gold", "service_tier"],
  ["chat/completions", "stop", 5, "stop"],
  ["chat/completions", "stop", [1], "stop"],
  ["chat/completions", "store", "true", "store"],
  ["chat/completions", "stream", "true", "stream"],
  ["chat/completions", "stream_options", { include_usage: "yes" }, "stream_options.include_usage"],
  ["chat/completions", "temperature", 2.1, "temperature"],
  ["chat/completions", "temperature", -0.1, "temperature"],
  ["chat/completions", "tool_choice", "sometimes", "tool_choice"],
  ["chat/completions", "tools", [{ type: "function" }], "tools[0].function"],
  ["chat/completions", "top_p", 1.1, "top_p"],
  ["chat/completions", "user", 42, "user"],
  ["chat/completions", "verbosity", "chatty", "verbosity"],
  ["chat/completions", "web_search_options", { search_context_size: "huge" }, "web_search_options.search_context_size"],
  ["chat/completions", "web_search_options", "on", "web_search_options"],
  ["chat/completions", "moderation", { policy: null }, "moderation.model"],
  ["completions", "best_of", 0, "best_of"],
  ["completions", "best_of", 21, "best_of"],
  ["completions", "echo", "yes", "echo"],
  ["completions", "logprobs", 6, "logprobs"],
  ["completions", "logprobs", true, "logprobs"],
  ["completions", "logit_bias", { "50256": -101 }, "logit_bias.50256"],
  ["completions", "suffix", 3, "suffix"],
  ["completions", "frequency_penalty", -3, "frequency_penalty"],
  ["completions", "presence_penalty", 3, "presence_penalty"],
  ["completions", "stream_options", "usage", "stream_options"],
  ["completions", "max_tokens", -1, "max_tokens"],
  ["completions", "prompt", 5, "prompt"],
  ["embeddings", "dimensions", 0, "dimensions"],
  ["embeddings", "dimensions", 1.5, "dimensions"],
  ["embeddings", "encoding_format", "int8", "encoding_format"],
  ["embeddings", "user", 5, "user"],
  ["embeddings", "input", [], "input"],
];

describe("documented request fields with a wrong type or range", () => {
  it.each(WRONG)("%s %s = %j: 400 naming %s, no upstream call", async (operation, field, value, param) => {
    const res = await post(operation, { [field]: value });
    const text = await res.text();
    expect(res.status, text).toBe(400);
    const { error } = JSON.parse(text) as { error: { message: string; type: string; param: string; code: string } };
    expect(error).toMatchObject({ type: "invalid_request_error", param, code: "invalid_body" });
    // The message starts with the field and says why, e.g. "top_logprobs: Too small: expected number to be >=0".
    expect(error.message.startsWith(`${param}: `), error.message).toBe(true);
    expect(error.message.length).toBeGreaterThan(param.length + 10);
    expect(calls).toHaveLength(0);
  });
});

/** [operation, fields]: unusual but valid values, including OpenAI's nulls and the range bounds. */
const VALID: [Operation, Record<string, unknown>][] = [
  [
    "chat/completions",
    {
      audio: { voice: "alloy", format: "wav" },
      frequency_penalty: -2,
      presence_penalty: 2,
      logit_bias: { "50256": -100, "1": 100, "2": 0.5 },
      logprobs: true,
      top_logprobs: 20,
      max_completion_tokens: 1,
      metadata: {
        ...Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`k${i}`, "v"])),
        ["k".repeat(64)]: "v".repeat(512),
      },
      modalities: ["text", "audio"],
      n: 1,
      parallel_tool_calls: false,
      prediction: { type: "content", content: [{ type: "text", text: "x" }] },
      prompt_cache_key: "tenant-1",
      prompt_cache_retention: "24h",
      reasoning_effort: "minimal",
      safety_identifier: "user-hash",
      seed: -5,
      service_tier: "flex",
      stop: ["a", "b", "c", "d"],
      store: false,
      stream: false,
      temperature: 0,
      top_p: 1,
      user: "u",
      verbosity: "low",
      web_search_options: {
        search_context_size: "low",
        user_location: { type: "approximate", approximate: { city: "Paris" } },
      },
      function_call: { name: "f" },
      functions: [{ name: "f", parameters: { type: "object" } }],
      some_provider_extension: { anything: true },
    },
  ],
  [
    "chat/completions",
    {
      audio: null,
      frequency_penalty: null,
      presence_penalty: null,
      logit_bias: null,
      logprobs: null,
      top_logprobs: 0,
      max_tokens: null,
      max_completion_tokens: null,
      metadata: null,
      modalities: null,
      n: null,
      prediction: null,
      prompt_cache_key: null,
      reasoning_effort: null,
      safety_identifier: null,
      seed: null,
      service_tier: null,
      stop: null,
      store: null,
      stream_options: null,
      temperature: null,
      top_logprobs_extra: "unknown fields pass",
      top_p: null,
      verbosity: null,
      moderation: null,
      function_call: "none",
    },
  ],
  [
    "completions",
    {
      best_of: 20,
      echo: true,
      logprobs: 5,
      suffix: null,
      logit_bias: { "7": 1 },
      frequency_penalty: 0,
      max_tokens: 1,
      seed: 0,
    },
  ],
  ["completions", { best_of: null, echo: null, logprobs: 0, suffix: "end", logit_bias: null, presence_penalty: null }],
  ["embeddings", { dimensions: 1, encoding_format: "base64", user: "u" }],
  ["embeddings", { input: [[1, 2], [3]], encoding_format: "float" }],
];

describe("unusual but valid values", () => {
  it.each(VALID)("%s %j: 200, forwarded as sent", async (operation, fields) => {
    const res = await post(operation, fields);
    const text = await res.text();
    expect(res.status, text).toBe(200);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toEqual({ ...BASES[operation], ...fields });
  });
});

describe("error messages say why", () => {
  it.each([
    ["top_logprobs", -1, "top_logprobs: Too small: expected number to be >=0"],
    ["logit_bias", { hello: 1 }, "logit_bias.hello: keys must be token ids (decimal integers as strings)"],
    [
      "metadata",
      Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, "v"])),
      "metadata: at most 16 keys are allowed",
    ],
    ["logprobs", "x", "logprobs: Invalid input: expected boolean, received string"],
  ])("%s = %j", async (field, value, message) => {
    const res = await post("chat/completions", { [field]: value });
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(message);
  });
});
