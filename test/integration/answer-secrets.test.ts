import { env } from "cloudflare:workers";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { REDACTED } from "../../src/observability/scrub";
import { cachedCall, chatBody, keysWith, status, uniq, waitForEntries } from "./cache-fixtures";
import { bearer, createKey, createVirtualKey } from "./governance-helpers";
import { chunkedBody, gateway, upstream, useFakeUpstreams } from "./harness";
import { chunk, OPENAI, sse } from "./observability-fakes";
import { loggedRow, uniqueTrace } from "./observability-helpers";

useFakeUpstreams();

/**
 * A provider (or a proxy in front of it) may echo the credential it was sent inside a successful answer. The
 * client must never get it back: not the caller's own key (a log or a screenshot of the answer would leak it) and
 * above all not a virtual key's stored key, which the caller never saw.
 */

const ANTHROPIC = "https://api.anthropic.com/v1/messages";
const COMPLETIONS = "https://api.openai.com/v1/completions";

const tokenOf = ({ headers }: { headers: Headers }) =>
  (headers.get("authorization") ?? "").replace(/^Bearer /, "") || (headers.get("x-api-key") ?? "");

/** A chat completion whose text quotes `secret` twice (content and a debug field), as raw text with odd spacing. */
const echoingCompletion = (secret: string) =>
  `{"id":"chatcmpl-echo",  "object":"chat.completion","created":1700000000,"model":"gpt-4o-mini",` +
  `"choices":[{"index":0,"message":{"role":"assistant","content":"your key is ${secret}"},"finish_reason":"stop","logprobs":null}],` +
  `"usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7},"debug":{"auth":"Bearer ${secret}"}}`;

const jsonResponse = (text: string) => new HttpResponse(text, { headers: { "content-type": "application/json" } });

/** The OpenAI chat endpoint answering with `answer(token)`, token being the key the gateway sent. */
const serveOpenAI = (answer: (token: string) => Response) =>
  upstream.use(http.post(OPENAI, ({ request }) => answer(tokenOf(request))));

const presentedKey = () => `sk-presented-${crypto.randomUUID().replaceAll("-", "")}`;
const presentedHeaders = (key: string, trace?: string) => ({
  "x-portkey-provider": "openai",
  authorization: `Bearer ${key}`,
  ...(trace ? { "x-portkey-trace-id": trace } : {}),
});

/** A gateway key plus a virtual key whose stored secret is not key-shaped (only exact redaction can find it). */
async function virtualKeyCaller() {
  const secret = `vaultplain${crypto.randomUUID().replaceAll("-", "")}`;
  const vk = await createVirtualKey({ api_key: secret });
  const { key } = await createKey();
  return { secret, headers: { ...bearer(key), "x-portkey-virtual-key": vk.slug } };
}

const chat = (stream = false) => ({ model: "gpt-4o-mini", stream, messages: [{ role: "user", content: "Hi" }] });

/** An SSE answer whose second chunk quotes the key; the network splits it 5 bytes into the key. */
function echoingStream(secret: string): ReadableStream<Uint8Array> {
  const text = sse([chunk({ role: "assistant", content: "" }), chunk({ content: `key=${secret}` }), chunk({}, "stop")]);
  const cut = new TextEncoder().encode(text.slice(0, text.indexOf(secret))).length + 5;
  return chunkedBody(text, [cut - 3, cut]);
}
const serveStream = (body: (token: string) => ReadableStream<Uint8Array>) =>
  serveOpenAI((token) => new HttpResponse(body(token), { headers: { "content-type": "text/event-stream" } }));

describe("a key echoed in a successful answer never reaches the client", { timeout: 30_000 }, () => {
  it("JSON, presented key (passthrough text): redacted wherever it appears, the rest as the provider sent it", async () => {
    const key = presentedKey();
    serveOpenAI((token) => jsonResponse(echoingCompletion(token)));
    const res = await gateway({ headers: presentedHeaders(key), body: chat() });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain(key);
    expect(text).toBe(echoingCompletion(REDACTED));
  });

  it("JSON, virtual key: the stored key is redacted", async () => {
    const { secret, headers } = await virtualKeyCaller();
    serveOpenAI((token) => jsonResponse(echoingCompletion(token)));
    const res = await gateway({ headers, body: chat() });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain(secret);
    expect(text).toBe(echoingCompletion(REDACTED));
  });

  it("JSON, translated provider (Anthropic): the mapped answer is redacted too", async () => {
    const key = `sk-ant-${crypto.randomUUID()}`;
    upstream.use(
      http.post(ANTHROPIC, ({ request }) =>
        HttpResponse.json({
          id: "msg_1",
          type: "message",
          role: "assistant",
          model: "claude-sonnet-4-5",
          content: [{ type: "text", text: `you sent ${tokenOf(request)}` }],
          stop_reason: "end_turn",
          usage: { input_tokens: 3, output_tokens: 4 },
        }),
      ),
    );
    const res = await gateway({
      headers: { "x-portkey-provider": "anthropic", authorization: `Bearer ${key}` },
      body: chat(),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { choices: Array<{ message: { content: string } }> };
    expect(body.choices[0]?.message.content).toBe(`you sent ${REDACTED}`);
  });

  it("stream, presented key split across network chunks", async () => {
    const key = presentedKey();
    serveStream(echoingStream);
    const res = await gateway({ headers: presentedHeaders(key), body: chat(true) });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain(key);
    expect(text).toContain(`key=${REDACTED}`);
    expect(text.endsWith("data: [DONE]\n\n")).toBe(true);
  });

  it("stream, virtual key split across network chunks", async () => {
    const { secret, headers } = await virtualKeyCaller();
    serveStream(echoingStream);
    const res = await gateway({ headers, body: chat(true) });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain(secret);
    expect(text).toContain(`key=${REDACTED}`);
  });

  it("a cached answer is stored redacted, and a hit serves it redacted", async () => {
    const key = presentedKey();
    const ns = uniq("ns");
    serveOpenAI((token) => jsonResponse(echoingCompletion(token)));
    const body = chatBody(uniq("q"));
    const again = () => cachedCall({ body, apiKey: key, headers: { "x-portkey-cache-namespace": ns } });
    const first = await again();
    expect(status(first)).toBe("MISS");
    expect(await first.text()).not.toContain(key);
    const [entryKey] = await waitForEntries(1, `rc1:${ns}:`);
    const stored = await env.CACHE.get(entryKey ?? "");
    expect(stored).toContain(REDACTED);
    expect(stored).not.toContain(key);
    const second = await again();
    expect(status(second)).toBe("HIT");
    expect(await second.text()).not.toContain(key);
    expect(await keysWith(`rc1:${ns}:`)).toHaveLength(1);
  });
});

describe("answers without a secret are untouched", { timeout: 30_000 }, () => {
  it("JSON passthrough text is byte-identical", async () => {
    const raw = `{"id":"chatcmpl-x",  "object":"chat.completion","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"caf\\u00e9 sk-not-the-key-0123456789abcdef"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}`;
    serveOpenAI(() => jsonResponse(raw));
    const res = await gateway({ headers: presentedHeaders(presentedKey()), body: chat() });
    expect(await res.text()).toBe(raw);
  });

  it("a stream without the key is byte-identical to the provider's frames", async () => {
    const text = sse([chunk({ role: "assistant", content: "" }), chunk({ content: "plain" }), chunk({}, "stop")]);
    serveStream(() => chunkedBody(text, [7, 40]));
    const res = await gateway({ headers: presentedHeaders(presentedKey()), body: chat(true) });
    expect(await res.text()).toBe(text);
  });

  it("a key shorter than 8 characters is not treated as a secret", async () => {
    serveOpenAI((token) => jsonResponse(echoingCompletion(token)));
    const res = await gateway({ headers: presentedHeaders("sk-abc"), body: chat() });
    expect(await res.text()).toBe(echoingCompletion("sk-abc"));
  });
});

describe("non-streamed answers log their finish reason", { timeout: 30_000 }, () => {
  it("chat: finish_reason from the answer's first choice", async () => {
    serveOpenAI(() => jsonResponse(echoingCompletion("nothing-secret")));
    const trace = uniqueTrace("finish-chat");
    const res = await gateway({ headers: presentedHeaders(presentedKey(), trace), body: chat() });
    expect(res.status).toBe(200);
    await res.text();
    const row = await loggedRow(trace);
    expect(row.finish_reason).toBe("stop");
  });

  it("completions: finish_reason from the answer's first choice", async () => {
    upstream.use(
      http.post(COMPLETIONS, () =>
        HttpResponse.json({
          id: "cmpl-1",
          object: "text_completion",
          created: 1,
          model: "gpt-3.5-turbo-instruct",
          choices: [{ index: 0, text: "done", finish_reason: "length", logprobs: null }],
          usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        }),
      ),
    );
    const trace = uniqueTrace("finish-completions");
    const res = await gateway({
      path: "/v1/completions",
      headers: presentedHeaders(presentedKey(), trace),
      body: { model: "gpt-3.5-turbo-instruct", prompt: "Say done" },
    });
    expect(res.status).toBe(200);
    await res.text();
    const row = await loggedRow(trace);
    expect(row.finish_reason).toBe("length");
  });
});
