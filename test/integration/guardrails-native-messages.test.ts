import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { parseSseText } from "../../providers/shared/sse";
import { textMessage } from "../fixtures/anthropic/messages";
import { chunkedBody, gateway, upstream, useFakeUpstreams } from "./harness";
import { loggedRow, uniqueTrace } from "./observability-helpers";

/*
 * Guardrails on /v1/messages to an Anthropic target (the native path): input redaction reaches Anthropic's body,
 * a deny calls nothing and answers in Anthropic's error envelope, output hooks judge the message's text blocks.
 */

useFakeUpstreams();

const ANTHROPIC = "https://api.anthropic.com/v1/messages";
const OPENAI = "https://api.openai.com/v1/chat/completions";
const EMAIL = "ann@example.com";
const CARD = "4111 1111 1111 1111";

const headersWith = (config: object) => ({
  "x-portkey-provider": "anthropic",
  "x-api-key": "sk-ant-test-native-guard-0000",
  "anthropic-version": "2023-06-01",
  "x-portkey-config": JSON.stringify(config),
});
const redactInput = { input_guardrails: [{ pii: { redact: true, restore: true } }] };

/** A Messages body with fields chat cannot carry (cache_control) around the text the hooks judge. */
const ask = (extra: object = {}) => ({
  model: "claude-sonnet-4-5",
  max_tokens: 256,
  system: "Be brief.",
  messages: [
    { role: "user", content: "earlier turn" },
    { role: "assistant", content: "ok" },
    {
      role: "user",
      content: [
        { type: "text", text: `mail ${EMAIL}`, cache_control: { type: "ephemeral" } },
        { type: "text", text: `card ${CARD}` },
      ],
    },
  ],
  ...extra,
});
const messages = (headers: Record<string, string>, body: unknown) => gateway({ path: "/v1/messages", headers, body });

function record(url: string, answer: () => Response): unknown[] {
  const seen: unknown[] = [];
  upstream.use(
    http.post(url, async ({ request }) => {
      seen.push(await request.json());
      return answer();
    }),
  );
  return seen;
}

const answerWith = (text: string) => ({ ...textMessage, content: [{ type: "text", text }] });

const sseEvents = (pairs: Array<[string, object]>) =>
  pairs.map(([event, data]) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`).join("");
const delta = (text: string) =>
  ["content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text } }] as [
    string,
    object,
  ];
/** An Anthropic stream of `pieces` of text, in its real event order. */
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
    ...pieces.map(delta),
    ["content_block_stop", { type: "content_block_stop", index: 0 }],
    [
      "message_delta",
      { type: "message_delta", delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: 9 } },
    ],
    ["message_stop", { type: "message_stop" }],
  ]);
const byteLength = (text: string) => new TextEncoder().encode(text).length;
const streamedText = (body: string) =>
  parseSseText(body)
    .map((event) => JSON.parse(event.data) as { type: string; delta?: { type?: string; text?: string } })
    .filter((data) => data.type === "content_block_delta" && data.delta?.type === "text_delta")
    .map((data) => data.delta?.text ?? "")
    .join("");

describe("/v1/messages to Anthropic: input guardrails", () => {
  it("Anthropic receives the redacted text in its own format; the client gets the originals back", async () => {
    const seen = record(ANTHROPIC, () =>
      HttpResponse.json(answerWith("Wrote to [EMAIL_ADDRESS_1] about [CREDIT_CARD_1].")),
    );
    const res = await messages(headersWith(redactInput), ask({ metadata: { user_id: "u-1" } }));
    expect(res.status).toBe(200);
    expect(seen).toHaveLength(1);
    const sent = JSON.stringify(seen[0]);
    expect(sent).not.toContain(EMAIL);
    expect(sent).not.toContain("4111");
    // Still the native body: Anthropic's fields (system, cache_control, metadata) kept, the earlier turns untouched.
    expect(seen[0]).toEqual({
      ...ask({ metadata: { user_id: "u-1" } }),
      messages: [
        { role: "user", content: "earlier turn" },
        { role: "assistant", content: "ok" },
        {
          role: "user",
          content: [
            {
              type: "text",
              text: "mail [EMAIL_ADDRESS_1]\ncard [CREDIT_CARD_1]",
              cache_control: { type: "ephemeral" },
            },
          ],
        },
      ],
    });
    const body = (await res.json()) as { type: string; content: { text: string }[]; hook_results: unknown };
    expect(body.type).toBe("message");
    expect(body.content[0]?.text).toBe(`Wrote to ${EMAIL} about ${CARD}.`);
  });

  it("a string content is replaced as a string", async () => {
    const seen = record(ANTHROPIC, () => HttpResponse.json(textMessage));
    const res = await messages(
      headersWith(redactInput),
      ask({ messages: [{ role: "user", content: `I am ${EMAIL}` }] }),
    );
    expect(res.status).toBe(200);
    expect(seen[0]).toMatchObject({ messages: [{ role: "user", content: "I am [EMAIL_ADDRESS_1]" }] });
  });

  it("a redaction the native body cannot carry exactly goes through the chat translation", async () => {
    // A text document is judged with the turn's text (chat makes it a text part), but it is no text block:
    // rewriting only the text blocks would leave the e-mail in the document, so the translated request is sent.
    const seen = record(ANTHROPIC, () => HttpResponse.json(answerWith("Summary for [EMAIL_ADDRESS_1].")));
    const document = {
      type: "document",
      source: { type: "text", media_type: "text/plain", data: `contract of ${EMAIL}` },
    };
    const res = await messages(
      headersWith(redactInput),
      ask({ messages: [{ role: "user", content: [document, { type: "text", text: "summarise" }] }] }),
    );
    expect(res.status).toBe(200);
    expect(seen).toHaveLength(1);
    expect(JSON.stringify(seen[0])).not.toContain(EMAIL);
    expect(JSON.stringify(seen[0])).toContain("[EMAIL_ADDRESS_1]");
    const body = (await res.json()) as { type: string; content: { text: string }[] };
    expect(body.type).toBe("message");
    expect(body.content[0]?.text).toBe(`Summary for ${EMAIL}.`);
  });

  it("a deny calls nothing and answers 446 in Anthropic's error envelope", async () => {
    const seen = record(ANTHROPIC, () => HttpResponse.json(textMessage));
    const trace = uniqueTrace("native-deny");
    const config = { input_guardrails: [{ contains: { words: ["card"], operator: "none" }, deny: true }] };
    const res = await messages({ ...headersWith(config), "x-portkey-trace-id": trace }, ask());
    expect(res.status).toBe(446);
    expect(seen).toHaveLength(0);
    const body = (await res.json()) as { type: string; error: { type: string; message: string } };
    expect(body.type).toBe("error");
    expect(body.error.message).toContain("denied by guardrail hook");
    // One log row, with the denial and the status the client got.
    const row = (await loggedRow(trace)) as Awaited<ReturnType<typeof loggedRow>> & { denied_by: string | null };
    expect([row.status, row.denied_by, row.path]).toEqual([446, "guardrail", "/v1/messages"]);
  });

  it("a stream after an input redaction goes through chat, so the placeholders are restored in the events", async () => {
    const pieces = ["Wrote to [EMAIL_", "ADDRESS_1] about [CRED", "IT_CARD_1]."];
    const recorded = anthropicStream(pieces);
    for (const cut of [7, 200, 311, byteLength(recorded) - 30]) {
      const seen = record(
        ANTHROPIC,
        () =>
          new HttpResponse(chunkedBody(recorded, [cut, cut + 3]), { headers: { "content-type": "text/event-stream" } }),
      );
      const res = await messages(headersWith(redactInput), ask({ stream: true }));
      expect(res.status).toBe(200);
      expect(JSON.stringify(seen[0])).not.toContain(EMAIL);
      const body = await res.text();
      expect(streamedText(body), `cut at ${cut}`).toBe(`Wrote to ${EMAIL} about ${CARD}.`);
      expect(body).not.toContain("[EMAIL_ADDRESS_1]");
      expect(parseSseText(body).at(-1)?.event).toBe("message_stop");
    }
  });
});

describe("/v1/messages to Anthropic: output guardrails", () => {
  const denySecret = { output_guardrails: [{ contains: { words: ["internal-only"], operator: "none" }, deny: true }] };

  it("a JSON answer is judged on its text blocks: a deny is a 446 in Anthropic's envelope", async () => {
    record(ANTHROPIC, () => HttpResponse.json(answerWith("this is internal-only data")));
    const res = await messages(headersWith(denySecret), ask());
    expect(res.status).toBe(446);
    const body = (await res.json()) as { type: string; error: { type: string; message: string } };
    expect(body).toMatchObject({ type: "error", error: { message: expect.stringContaining("answer was denied") } });
    expect(JSON.stringify(body)).not.toContain("internal-only data");
  });

  it("a passing JSON answer goes out natively with hook_results", async () => {
    record(ANTHROPIC, () => HttpResponse.json(textMessage));
    const res = await messages(headersWith(denySecret), ask());
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ id: textMessage.id, type: "message", content: textMessage.content });
    expect(body.hook_results).toMatchObject({ after_request_hooks: [{ verdict: true }] });
  });

  it("pii redact without restore rewrites the JSON answer's text", async () => {
    record(ANTHROPIC, () => HttpResponse.json(answerWith(`Reach me at ${EMAIL} today`)));
    const config = { output_guardrails: [{ pii: { redact: true } }] };
    const res = await messages(headersWith(config), ask());
    expect(res.status).toBe(200);
    const body = (await res.json()) as { content: { type: string; text: string }[] };
    expect(body.content).toEqual([{ type: "text", text: "Reach me at [EMAIL_ADDRESS_1] today" }]);
  });

  it("a denied native answer falls back to another target and is still answered as a Message", async () => {
    record(ANTHROPIC, () => HttpResponse.json(answerWith("this is internal-only data")));
    record(OPENAI, () =>
      HttpResponse.json({
        id: "chatcmpl-fb",
        object: "chat.completion",
        created: 1,
        model: "gpt-4o-mini",
        choices: [{ index: 0, message: { role: "assistant", content: "public answer" }, finish_reason: "stop" }],
        usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
      }),
    );
    const config = {
      ...denySecret,
      strategy: { mode: "fallback", on_status_codes: [446] },
      targets: [
        { provider: "anthropic", api_key: "sk-ant-test-native-guard-0000" },
        { provider: "openai", api_key: "sk-test-native-guard-0000", override_params: { model: "gpt-4o-mini" } },
      ],
    };
    const res = await messages({ "x-portkey-config": JSON.stringify(config) }, ask());
    expect(res.status).toBe(200);
    const body = (await res.json()) as { type: string; content: { text: string }[] };
    expect(body.type).toBe("message");
    expect(body.content[0]?.text).toBe("public answer");
  });

  it("a stream with output hooks is judged: the deny event comes before the offending text", async () => {
    const pieces = ["All fine so far. ", "Now the internal-", "only part."];
    const recorded = anthropicStream(pieces);
    for (const cut of [5, 280, 420]) {
      record(
        ANTHROPIC,
        () =>
          new HttpResponse(chunkedBody(recorded, [cut, cut + 2]), { headers: { "content-type": "text/event-stream" } }),
      );
      const res = await messages(headersWith(denySecret), ask({ stream: true }));
      expect(res.status).toBe(200);
      const body = await res.text();
      expect(body, `cut at ${cut}`).not.toContain("internal-");
      const last = parseSseText(body).at(-1);
      expect(last?.event).toBe("error");
      expect(JSON.parse(last?.data ?? "{}")).toMatchObject({ type: "error" });
    }
  });

  it("a stream with pii redaction never shows the value, wherever the stream is cut", async () => {
    const pieces = ["Reach me at ann@exa", "mple.com today"];
    const recorded = anthropicStream(pieces);
    for (let cut = 1; cut < byteLength(recorded); cut += 37) {
      record(
        ANTHROPIC,
        () => new HttpResponse(chunkedBody(recorded, [cut]), { headers: { "content-type": "text/event-stream" } }),
      );
      const res = await messages(
        headersWith({ output_guardrails: [{ pii: { redact: true } }] }),
        ask({ stream: true }),
      );
      const body = await res.text();
      expect(body, `cut at ${cut}`).not.toContain(EMAIL);
      expect(streamedText(body), `cut at ${cut}`).toBe("Reach me at [EMAIL_ADDRESS_1] today");
    }
  }, 120_000);
});
