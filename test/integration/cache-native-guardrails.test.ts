import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { parseSseText } from "../../providers/shared/sse";
import { textMessage } from "../fixtures/anthropic/messages";
import { openaiResponse } from "../fixtures/inbound-responses/openai";
import { keysWith, status, uniq, waitForEntries } from "./cache-fixtures";
import { chunkedBody, gateway, upstream, useFakeUpstreams } from "./harness";

/*
 * The cache on the native front door /v1/messages (Anthropic target): a stored answer still passes today's output
 * hooks, a denied answer is never stored, and the client always gets Anthropic's format, whether the answer came
 * natively, through the chat translation, or from an entry (entries hold chat answers).
 */

useFakeUpstreams();

const ANTHROPIC = "https://api.anthropic.com/v1/messages";
const OPENAI = "https://api.openai.com/v1/chat/completions";
const ANTHROPIC_KEY = "sk-ant-test-cache-native-0000";
const OPENAI_KEY = "sk-test-cache-native-0000";
const SECRET = "internal-only";

const cache = { mode: "simple", max_age: 600 };
const denySecret = { output_guardrails: [{ contains: { words: [SECRET], operator: "none" }, deny: true }] };
/** An output hook that passes anything without the secret: it makes a stream go through the chat translation. */
const passingHook = { output_guardrails: [{ contains: { words: ["never-said"], operator: "none" } }] };

const anthropicTarget = (extra: object = {}) => ({ provider: "anthropic", api_key: ANTHROPIC_KEY, cache, ...extra });

const ask = (text: string, extra: object = {}) => ({
  model: "claude-sonnet-4-5",
  max_tokens: 256,
  messages: [{ role: "user", content: text }],
  ...extra,
});

const messages = (namespace: string, config: object, body: unknown) =>
  gateway({
    path: "/v1/messages",
    headers: {
      "anthropic-version": "2023-06-01",
      "x-portkey-cache-namespace": namespace,
      "x-portkey-config": JSON.stringify(config),
    },
    body,
  });

/** A fake upstream that counts its calls; `answer(n)` answers the n-th (0-based). */
function serve(url: string, answer: (call: number) => Response): { readonly calls: number } {
  let calls = 0;
  upstream.use(
    http.post(url, async ({ request }) => {
      await request.arrayBuffer();
      return answer(calls++);
    }),
  );
  return {
    get calls() {
      return calls;
    },
  };
}

const answerWith = (text: string) => ({ ...textMessage, content: [{ type: "text", text }] });

const sseEvents = (pairs: Array<[string, object]>) =>
  pairs.map(([event, data]) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`).join("");

/** Anthropic's stream of `pieces`, in its real event order. */
const anthropicStream = (pieces: string[]) =>
  sseEvents([
    [
      "message_start",
      {
        type: "message_start",
        message: { ...textMessage, content: [], stop_reason: null, usage: { input_tokens: 20, output_tokens: 1 } },
      },
    ],
    ["content_block_start", { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }],
    ...pieces.map((text): [string, object] => [
      "content_block_delta",
      { type: "content_block_delta", index: 0, delta: { type: "text_delta", text } },
    ]),
    ["content_block_stop", { type: "content_block_stop", index: 0 }],
    [
      "message_delta",
      { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 9 } },
    ],
    ["message_stop", { type: "message_stop" }],
  ]);

/** The stream split at awkward byte offsets (inside frames, inside a multi-byte character's neighbourhood). */
const streamed = (pieces: string[]) => () =>
  new HttpResponse(chunkedBody(anthropicStream(pieces), [3, 97, 98, 301]), {
    headers: { "content-type": "text/event-stream" },
  });

const streamedText = (body: string) =>
  parseSseText(body)
    .map((event) => JSON.parse(event.data) as { type: string; delta?: { type?: string; text?: string } })
    .filter((data) => data.type === "content_block_delta" && data.delta?.type === "text_delta")
    .map((data) => data.delta?.text ?? "")
    .join("");

const chatAnswer = (content: string) => ({
  id: "chatcmpl-native-cache",
  object: "chat.completion",
  created: 1_700_000_000,
  model: "gpt-4o-mini-2024-07-18",
  choices: [{ index: 0, message: { role: "assistant", content }, logprobs: null, finish_reason: "stop" }],
  usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
});

/** Wait long enough for a background write that should not happen (waitUntil runs right after the response). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 200));

describe("/v1/messages with the cache: a stored answer still passes the output hooks", () => {
  it("a JSON answer served without hooks is denied (446) for the same request with a deny hook", async () => {
    const ns = uniq("nj");
    const anthropic = serve(ANTHROPIC, () => HttpResponse.json(answerWith(`this is ${SECRET} data`)));
    const first = await messages(ns, anthropicTarget(), ask("tell me"));
    expect(first.status).toBe(200);
    expect(((await first.json()) as { content: { text: string }[] }).content[0]?.text).toContain(SECRET);
    await settle();
    // Entries hold chat answers only: a native Message is not stored, so no chat client can get it either.
    expect(await keysWith(`rc1:${ns}:`)).toEqual([]);

    const judged = await messages(ns, anthropicTarget(denySecret), ask("tell me"));
    expect(judged.status).toBe(446);
    const body = await judged.text();
    expect(JSON.parse(body)).toMatchObject({ type: "error", error: { type: "invalid_request_error" } });
    expect(body).not.toContain(`${SECRET} data`);
    expect(anthropic.calls).toBe(2);
  });

  it("a stream served without hooks is denied for the same stream with a deny hook", async () => {
    const ns = uniq("ns");
    serve(ANTHROPIC, streamed(["All fine. ", `Now the ${SECRET}`, " part."]));
    const first = await messages(ns, anthropicTarget(), ask("stream it", { stream: true }));
    expect(streamedText(await first.text())).toContain(SECRET);
    await settle();
    expect(await keysWith(`rc1:${ns}:`)).toEqual([]);

    const judged = await messages(ns, anthropicTarget(denySecret), ask("stream it", { stream: true }));
    const body = await judged.text();
    expect(body).not.toContain(SECRET);
    const last = parseSseText(body).at(-1);
    expect(last?.event).toBe("error");
    expect(JSON.parse(last?.data ?? "{}")).toMatchObject({ type: "error" });
  });

  it("an entry stored through the chat translation is judged on a hit: 446, no provider call", async () => {
    const ns = uniq("nh");
    const anthropic = serve(ANTHROPIC, streamed(["Here is the ", `${SECRET} plan`]));
    // A passing output hook sends the stream through the chat translation: its chat answer is stored.
    const first = await messages(ns, anthropicTarget(passingHook), ask("the plan", { stream: true }));
    expect(streamedText(await first.text())).toBe(`Here is the ${SECRET} plan`);
    await waitForEntries(1, `rc1:${ns}:`);

    const judged = await messages(ns, anthropicTarget(denySecret), ask("the plan"));
    expect(judged.status).toBe(446);
    expect(status(judged)).toBe("HIT");
    expect(await judged.text()).not.toContain(`${SECRET} plan`);
    expect(anthropic.calls).toBe(1);
  });
});

describe("/v1/messages with the cache: the client gets Anthropic's format", () => {
  it("a chat entry is served as a Message (JSON) and as Anthropic's events (stream)", async () => {
    const ns = uniq("nf");
    const anthropic = serve(ANTHROPIC, streamed(["Héllo ", "wörld 🌍"]));
    const first = await messages(ns, anthropicTarget(passingHook), ask("greet", { stream: true }));
    expect(status(first)).toBe("MISS");
    expect(streamedText(await first.text())).toBe("Héllo wörld 🌍");
    await waitForEntries(1, `rc1:${ns}:`);

    const json = await messages(ns, anthropicTarget(), ask("greet"));
    expect(status(json)).toBe("HIT");
    expect(json.headers.get("content-type")).toBe("application/json");
    const message = (await json.json()) as Record<string, unknown>;
    expect(message).toMatchObject({
      type: "message",
      role: "assistant",
      content: [{ type: "text", text: "Héllo wörld 🌍" }],
      stop_reason: "end_turn",
    });
    expect(message).not.toHaveProperty("choices");

    const stream = await messages(ns, anthropicTarget(), ask("greet", { stream: true }));
    expect(status(stream)).toBe("HIT");
    const events = parseSseText(await stream.clone().text());
    expect(events[0]?.event).toBe("message_start");
    expect(events.at(-1)?.event).toBe("message_stop");
    expect(events.some((event) => event.data.includes("chat.completion"))).toBe(false);
    expect(streamedText(await stream.text())).toBe("Héllo wörld 🌍");
    expect(anthropic.calls).toBe(1);
  });

  it("a denied native answer that falls back to a cache hit gets the hit as a Message, not chat JSON", async () => {
    const ns = uniq("nb");
    const openaiTarget = {
      provider: "openai",
      api_key: OPENAI_KEY,
      override_params: { model: "gpt-4o-mini" },
      cache,
    };
    const openai = serve(OPENAI, () => HttpResponse.json(chatAnswer("public answer")));
    // The OpenAI target's entry, stored by a request it served alone (translated: it is no Anthropic target).
    const seeded = await messages(ns, openaiTarget, ask("fall back"));
    expect(((await seeded.json()) as { content: { text: string }[] }).content[0]?.text).toBe("public answer");
    await waitForEntries(1, `rc1:${ns}:`);

    serve(ANTHROPIC, () => HttpResponse.json(answerWith(`the ${SECRET} answer`)));
    const config = {
      ...denySecret,
      strategy: { mode: "fallback", on_status_codes: [446] },
      targets: [{ provider: "anthropic", api_key: ANTHROPIC_KEY }, openaiTarget],
    };
    const res = await messages(ns, config, ask("fall back"));
    expect(res.status).toBe(200);
    expect(status(res)).toBe("HIT");
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ type: "message", content: [{ type: "text", text: "public answer" }] });
    expect(body).not.toHaveProperty("choices");
    expect(openai.calls).toBe(1);
  });
});

describe("/v1/messages with the cache: a denied answer is never stored", () => {
  it("a denied stream (chat translation) stores nothing: the next request calls Anthropic again", async () => {
    const ns = uniq("nd");
    const anthropic = serve(ANTHROPIC, streamed(["Start. ", `The ${SECRET} bit.`]));
    const denied = await messages(ns, anthropicTarget(denySecret), ask("deny me", { stream: true }));
    expect(parseSseText(await denied.text()).at(-1)?.event).toBe("error");
    await settle();
    expect(await keysWith(`rc1:${ns}:`)).toEqual([]);

    const again = await messages(ns, anthropicTarget(), ask("deny me", { stream: true }));
    expect(status(again)).toBe("MISS");
    expect(streamedText(await again.text())).toBe(`Start. The ${SECRET} bit.`);
    expect(anthropic.calls).toBe(2);
  });

  it("a denied JSON answer of a translated target stores nothing", async () => {
    const ns = uniq("no");
    const openai = serve(OPENAI, () => HttpResponse.json(chatAnswer(`the ${SECRET} facts`)));
    const target = { provider: "openai", api_key: OPENAI_KEY, override_params: { model: "gpt-4o-mini" }, cache };
    const denied = await messages(ns, { ...target, ...denySecret }, ask("facts"));
    expect(denied.status).toBe(446);
    await settle();
    expect(await keysWith(`rc1:${ns}:`)).toEqual([]);

    const again = await messages(ns, target, ask("facts"));
    expect(status(again)).toBe("MISS");
    expect(openai.calls).toBe(2);
  });
});

describe("/v1/responses with the cache: the client gets a response object", () => {
  const RESPONSES = "https://api.openai.com/v1/responses";
  const responses = (namespace: string, config: object, body: unknown) =>
    gateway({
      path: "/v1/responses",
      headers: { "x-portkey-cache-namespace": namespace, "x-portkey-config": JSON.stringify(config) },
      body,
    });
  const nativeAnswer = (text: string) => ({
    ...openaiResponse,
    id: `resp_${crypto.randomUUID().replaceAll("-", "")}`,
    output: [{ ...openaiResponse.output[0], content: [{ type: "output_text", text, annotations: [], logprobs: [] }] }],
  });

  it("a denied native answer that falls back to a cache hit gets the hit as a response, stored as such", async () => {
    const ns = uniq("rb");
    const chatTarget = {
      provider: "groq",
      api_key: "gsk-test-cache-native-0000",
      override_params: { model: "llama-3.3-70b-versatile" },
      cache,
    };
    // Groq is no native Responses target: its chat answer is translated, and stored as chat.
    const chat = serve("https://api.groq.com/openai/v1/chat/completions", () =>
      HttpResponse.json(chatAnswer("public answer")),
    );
    const body = { model: "gpt-4.1", input: "fall back", store: true };
    const seeded = await responses(ns, chatTarget, body);
    expect(seeded.status).toBe(200);
    await waitForEntries(1, `rc1:${ns}:`);

    serve(RESPONSES, () => HttpResponse.json(nativeAnswer(`the ${SECRET} answer`)));
    const config = {
      ...denySecret,
      strategy: { mode: "fallback", on_status_codes: [446] },
      targets: [{ provider: "openai", api_key: OPENAI_KEY }, chatTarget],
    };
    const res = await responses(ns, config, body);
    expect(res.status).toBe(200);
    expect(status(res)).toBe("HIT");
    const answer = (await res.json()) as { id: string; object: string; output: { content?: { text: string }[] }[] };
    expect(answer).toMatchObject({ object: "response", output: [{ content: [{ text: "public answer" }] }] });
    expect(answer).not.toHaveProperty("choices");
    expect(answer.id).toMatch(/^resp_[0-9a-f]{48}$/);
    expect(chat.calls).toBe(1);
    // What was stored for previous_response_id is the response the client got, not the chat entry.
    const stored = await gateway({ method: "GET", path: `/v1/responses/${answer.id}` });
    expect(stored.status).toBe(200);
    expect(await stored.json()).toMatchObject({ id: answer.id, object: "response", output: answer.output });
  });
});
