import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { chunkedBody, upstream, useFakeUpstreams } from "./harness";
import { callWith } from "./observability-fakes";
import { loggedRow, uniqueTrace, type LogRowRaw } from "./observability-helpers";
import { completion } from "./routing-upstreams";

useFakeUpstreams();

/*
 * "The matched values never appear in logs, hook results or errors": with bodies logged (LOG_BODIES=true), every
 * combination of PII hooks (input redact with and without restore, input deny, output deny, output redact), JSON
 * and SSE, on the chat, /v1/messages and /v1/responses front doors, leaves a D1 row whose bodies, hook_results
 * and error fields hold placeholders or nothing, never the e-mail address or the card number.
 */

const OPENAI = "https://api.openai.com/v1/chat/completions";
const GROQ = "https://api.groq.com/openai/v1/chat/completions";
const EMAIL = "ann.lee@example.com";
const CARD = "4111 1111 1111 1111";
const LEAKS = [EMAIL, "ann.lee@", CARD, "4111 1111", "4111111111111111"];
const PROMPT = `Mail ${EMAIL} about card ${CARD} please`;
const ASK = "What is on file for me?";
const ECHO = "Noted: I will mail [EMAIL_ADDRESS_1] about [CREDIT_CARD_1].";
const RAW_ANSWER = `Sure. The card on file is ${CARD} and the mail goes to ${EMAIL} today. More text follows here.`;

type Front = "chat" | "messages" | "responses";
type Row = LogRowRaw & { hook_results: string | null; denied_by: string | null };

const PATHS: Record<Front, string> = {
  chat: "/v1/chat/completions",
  messages: "/v1/messages",
  responses: "/v1/responses",
};

/** The client's body; output-only cases ask without PII, so only the answer can bring it. */
function bodyFor(front: Front, stream: boolean, prompt: string): object {
  const messages = [{ role: "user", content: prompt }];
  if (front === "messages") return { model: "gpt-4o-mini", max_tokens: 64, messages, stream };
  if (front === "responses") return { model: "llama-3.1-8b-instant", input: prompt, store: false, stream };
  return { model: "gpt-4o-mini", messages, stream };
}

const base = { id: "chatcmpl-p", object: "chat.completion.chunk", created: 1, model: "gpt-4o-mini" };
const frame = (delta: object, finish: string | null = null) =>
  `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

/** The answer as an OpenAI stream, cut into small frames and then at odd byte offsets. */
function sseOf(text: string): ReadableStream<Uint8Array> {
  const pieces = text.match(/.{1,7}/gs) ?? [];
  const recorded = pieces.map((content) => frame({ content })).join("") + frame({}, "stop") + "data: [DONE]\n\n";
  return chunkedBody(recorded, [5, 91, 92, 300, 517, 733]);
}

/** The fake provider: answers `text` (JSON or SSE as asked) and records what it received. */
function provider(front: Front, text: string): { received: string[] } {
  const seen: string[] = [];
  const url = front === "responses" ? GROQ : OPENAI;
  upstream.use(
    http.post(url, async ({ request }) => {
      const body = await request.text();
      seen.push(body);
      if ((JSON.parse(body) as { stream?: boolean }).stream)
        return new HttpResponse(sseOf(text), { headers: { "content-type": "text/event-stream" } });
      return HttpResponse.json(completion("gpt-4o-mini", text));
    }),
  );
  return { received: seen };
}

async function run(front: Front, guardrails: object, stream: boolean, answer: string, prompt = PROMPT) {
  const fake = provider(front, answer);
  const trace = uniqueTrace(`privacy-${front}`);
  const headers = {
    "x-portkey-provider": front === "responses" ? "groq" : "openai",
    authorization: "Bearer sk-test",
    "x-portkey-config": JSON.stringify(guardrails),
    "x-portkey-trace-id": trace,
  };
  const res = await callWith(
    { LOG_BODIES: "true" },
    { path: PATHS[front], headers, body: bodyFor(front, stream, prompt) },
  );
  const row = (await loggedRow(trace)) as Row;
  return { res, row, fake };
}

/** No column of the row holds a matched value. */
function expectPrivate(row: Row, label: string): void {
  const columns = {
    request_body: row.request_body,
    response_body: row.response_body,
    hook_results: row.hook_results,
    error_message: row.error_message,
    stream_error: row.stream_error,
  };
  for (const [name, value] of Object.entries(columns))
    for (const leak of LEAKS) expect(value ?? "", `${label}: ${name}`).not.toContain(leak);
}

const redactIn = (restore: boolean) => ({
  input_guardrails: [{ pii: { categories: ["EMAIL_ADDRESS", "CREDIT_CARD"], redact: true, restore } }],
});
const denyIn = { input_guardrails: [{ pii: {}, deny: true }] };
const denyOut = { output_guardrails: [{ pii: {}, deny: true }] };
const redactOut = { output_guardrails: [{ pii: { redact: true } }] };
const FRONTS: Front[] = ["chat", "messages", "responses"];

describe("logged bodies never hold what a PII check found", () => {
  for (const front of FRONTS) {
    for (const stream of [false, true]) {
      const kind = `${front} ${stream ? "SSE" : "JSON"}`;

      it(`${kind}: input redact without restore logs the redacted request`, async () => {
        const { res, row, fake } = await run(front, redactIn(false), stream, ECHO);
        expect(res.status).toBe(200);
        expect(fake.received.join("")).toContain("[EMAIL_ADDRESS_1]");
        expect(row.request_body).toContain("[CREDIT_CARD_1]");
        expectPrivate(row, kind);
      });

      it(`${kind}: input redact with restore: the client gets its data back, the log keeps placeholders`, async () => {
        const { res, row, fake } = await run(front, redactIn(true), stream, ECHO);
        expect(res.status).toBe(200);
        for (const leak of LEAKS) expect(fake.received.join("")).not.toContain(leak);
        expect(res.text).toContain(EMAIL);
        expect(res.text).toContain(CARD);
        expect(row.request_body).toContain("[EMAIL_ADDRESS_1]");
        expect(row.response_body).toContain("[EMAIL_ADDRESS_1]");
        expect(row.response_body).toContain("[CREDIT_CARD_1]");
        expectPrivate(row, kind);
      });

      it(`${kind}: input deny: 446, nothing sent, the logged request carries placeholders`, async () => {
        const { res, row, fake } = await run(front, denyIn, stream, ECHO);
        expect(res.status).toBe(446);
        expect(fake.received).toEqual([]);
        expect(row.denied_by).toBe("guardrail");
        expect(row.request_body).toContain("[EMAIL_ADDRESS_1]");
        expectPrivate(row, kind);
      });

      it(`${kind}: output deny: the log holds what the client got, never the provider's raw text`, async () => {
        const { res, row } = await run(front, denyOut, stream, RAW_ANSWER, ASK);
        for (const leak of LEAKS) expect(res.text).not.toContain(leak);
        if (stream) {
          expect(res.text).toContain("was denied by guardrail hook");
          expect(row.stream_error).toBe("denied by an output guardrail");
        } else expect(res.status).toBe(446);
        expect(row.denied_by).toBe("guardrail");
        expectPrivate(row, kind);
      });

      it(`${kind}: output redact: the logged answer is the redacted one`, async () => {
        const { res, row } = await run(front, redactOut, stream, RAW_ANSWER, ASK);
        expect(res.status).toBe(200);
        for (const leak of LEAKS) expect(res.text).not.toContain(leak);
        expect(row.response_body).toContain("[CREDIT_CARD_1]");
        expectPrivate(row, kind);
      });
    }
  }
});
