import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { textMessage } from "../fixtures/anthropic/messages";
import { openaiResponse } from "../fixtures/inbound-responses/openai";
import { gateway, upstream, useFakeUpstreams } from "./harness";

/*
 * Input mutators on a user turn without text parts (only an image): the transformed text must reach the provider.
 * Portkey's addPrefix puts the prefix in a new text part before the others; so do we, on every path.
 */

useFakeUpstreams();

const OPENAI = "https://api.openai.com/v1/chat/completions";
const ANTHROPIC = "https://api.anthropic.com/v1/messages";
const PREFIX = "Answer in French. ";
const IMAGE_URL = "https://example.com/cat.png";
const PNG_BASE64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

const addPrefix = { input_guardrails: [{ addPrefix: { prefix: PREFIX } }] };
const regexReplace = { input_guardrails: [{ regexReplace: { rule: "secret-\\d+", redactText: "[X]" } }] };

function record(url: string, answer: () => Response): Record<string, unknown>[] {
  const seen: Record<string, unknown>[] = [];
  upstream.use(
    http.post(url, async ({ request }) => {
      seen.push((await request.json()) as Record<string, unknown>);
      return answer();
    }),
  );
  return seen;
}

const chatAnswer = {
  id: "chatcmpl-mutator",
  object: "chat.completion",
  created: 1_700_000_000,
  model: "gpt-4o-mini-2024-07-18",
  choices: [{ index: 0, message: { role: "assistant", content: "Un chat." }, logprobs: null, finish_reason: "stop" }],
  usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 },
};

const chat = (config: object, content: unknown) =>
  gateway({
    headers: { "x-portkey-config": JSON.stringify({ provider: "openai", api_key: "sk-test-mutator-0000", ...config }) },
    body: {
      model: "gpt-4o-mini",
      messages: [
        { role: "user", content: "earlier question" },
        { role: "assistant", content: "earlier answer" },
        { role: "user", content },
      ],
    },
  });

const imageOnly = [{ type: "image_url", image_url: { url: IMAGE_URL } }];
const lastContent = (body: Record<string, unknown> | undefined) =>
  (body?.messages as { content: unknown }[] | undefined)?.at(-1)?.content;

describe("input mutators on a chat user turn without text parts", () => {
  it("addPrefix adds a text part before the image; earlier turns are untouched", async () => {
    const seen = record(OPENAI, () => HttpResponse.json(chatAnswer));
    const res = await chat(addPrefix, imageOnly);
    expect(res.status).toBe(200);
    expect(seen).toHaveLength(1);
    expect(lastContent(seen[0])).toEqual([{ type: "text", text: PREFIX }, ...imageOnly]);
    expect((seen[0]?.messages as unknown[]).slice(0, 2)).toEqual([
      { role: "user", content: "earlier question" },
      { role: "assistant", content: "earlier answer" },
    ]);
  });

  it("with a text part, the prefix goes into it, at its place", async () => {
    const seen = record(OPENAI, () => HttpResponse.json(chatAnswer));
    await chat(addPrefix, [...imageOnly, { type: "text", text: "What is this?" }]);
    expect(lastContent(seen[0])).toEqual([...imageOnly, { type: "text", text: `${PREFIX}What is this?` }]);
  });

  it("a mutator that changes nothing adds no empty text part", async () => {
    const seen = record(OPENAI, () => HttpResponse.json(chatAnswer));
    await chat(regexReplace, imageOnly);
    expect(lastContent(seen[0])).toEqual(imageOnly);
  });
});

describe("input mutators on /v1/messages to Anthropic, a user turn with only an image", () => {
  const image = { type: "image", source: { type: "base64", media_type: "image/png", data: PNG_BASE64 } };

  it("Anthropic receives the prefix as a text block before the image, natively", async () => {
    const seen = record(ANTHROPIC, () => HttpResponse.json(textMessage));
    const body = {
      model: "claude-sonnet-4-5",
      max_tokens: 128,
      top_k: 5,
      messages: [
        { role: "user", content: "earlier question" },
        { role: "assistant", content: "earlier answer" },
        { role: "user", content: [{ ...image, cache_control: { type: "ephemeral" } }] },
      ],
    };
    const res = await gateway({
      path: "/v1/messages",
      headers: {
        "anthropic-version": "2023-06-01",
        "x-portkey-config": JSON.stringify({
          provider: "anthropic",
          api_key: "sk-ant-test-mutator-0000",
          ...addPrefix,
        }),
      },
      body,
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { type: string }).type).toBe("message");
    // The native body: Anthropic-only fields (top_k, cache_control) kept, the prefix in a text block of its own.
    expect(seen[0]).toEqual({
      ...body,
      messages: [
        ...body.messages.slice(0, 2),
        {
          role: "user",
          content: [
            { type: "text", text: PREFIX },
            { ...image, cache_control: { type: "ephemeral" } },
          ],
        },
      ],
    });
  });

  it("a redaction of an earlier turn's text is never moved into a tool_result turn", async () => {
    const seen = record(ANTHROPIC, () => HttpResponse.json(textMessage));
    const toolTurn = { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "42" }] };
    const body = {
      model: "claude-sonnet-4-5",
      max_tokens: 128,
      messages: [
        { role: "user", content: "look up secret-123" },
        { role: "assistant", content: [{ type: "tool_use", id: "toolu_1", name: "lookup", input: { q: "x" } }] },
        toolTurn,
      ],
    };
    const res = await gateway({
      path: "/v1/messages",
      headers: {
        "anthropic-version": "2023-06-01",
        "x-portkey-config": JSON.stringify({
          provider: "anthropic",
          api_key: "sk-ant-test-mutator-0000",
          ...regexReplace,
        }),
      },
      body,
    });
    expect(res.status).toBe(200);
    expect(JSON.stringify(seen[0])).not.toContain("secret-123");
    expect(seen[0]?.messages).toEqual([{ role: "user", content: "look up [X]" }, body.messages[1], toolTurn]);
  });
});

describe("input mutators on /v1/responses to OpenAI, a user message with only an image", () => {
  it("OpenAI receives the prefix as an input_text part before the image, natively", async () => {
    const seen = record("https://api.openai.com/v1/responses", () => HttpResponse.json(openaiResponse));
    const image = { type: "input_image", image_url: IMAGE_URL, detail: "low" };
    const body = {
      model: "gpt-4.1",
      store: false,
      truncation: "auto",
      input: [{ type: "message", role: "user", content: [image] }],
    };
    const res = await gateway({
      path: "/v1/responses",
      headers: {
        "x-portkey-config": JSON.stringify({ provider: "openai", api_key: "sk-test-mutator-0000", ...addPrefix }),
      },
      body,
    });
    expect(res.status).toBe(200);
    expect(seen[0]).toEqual({
      ...body,
      input: [{ type: "message", role: "user", content: [{ type: "input_text", text: PREFIX }, image] }],
    });
  });
});
