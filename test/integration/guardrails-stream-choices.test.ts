import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import {
  chatFrames,
  choiceText as contentOf,
  sseData as dataOf,
  toolArguments as argumentsOf,
} from "../unit/chat-sse-fixtures";
import { chunkedBody, upstream, useFakeUpstreams } from "./harness";
import { callWith } from "./observability-fakes";
import { loggedRow, uniqueTrace } from "./observability-helpers";

useFakeUpstreams();

/*
 * Output guardrails on streams with several choices (`n > 1`) and with streamed tool calls
 * (src/pipeline/guarded-stream.ts): each choice's text is judged and redacted on its own, a deny from any choice
 * ends the stream before any offending text of any choice, and tool-call arguments are held and judged whole.
 * The fake speaks OpenAI's SSE format, one choice per chunk for n > 1, cut at awkward byte offsets.
 */

const OPENAI = "https://api.openai.com/v1/chat/completions";
const EMAIL = "ann@example.com";
const CARD = "4111 1111 1111 1111";
const frame = chatFrames("chatcmpl-n2");

/** Two choices interleaved: choice 0 is harmless, choice 1 holds an e-mail split over two chunks. */
const twoChoices =
  frame(0, { role: "assistant", content: "" }) +
  frame(1, { role: "assistant", content: "" }) +
  frame(0, { content: "The weather is " }) +
  frame(1, { content: "Write to ann@exa" }) +
  frame(0, { content: "fine today, " }) +
  frame(1, { content: "mple.com for the details, " }) +
  frame(0, { content: "enjoy it." }) +
  frame(1, { content: "thanks." }) +
  frame(0, {}, "stop") +
  frame(1, {}, "stop") +
  "data: [DONE]\n\n";

const toolCall = (args: string[]) =>
  frame(0, {
    role: "assistant",
    content: null,
    tool_calls: [{ index: 0, id: "call_1", type: "function", function: { name: "pay", arguments: "" } }],
  }) +
  args.map((piece) => frame(0, { tool_calls: [{ index: 0, function: { arguments: piece } }] })).join("") +
  frame(0, {}, "tool_calls") +
  "data: [DONE]\n\n";
const cardArgs = ['{"card":"4111 11', "11 1111 ", '1111","amount":3}'];
const mailArgs = ['{"to":"ann@ex', 'ample.com","n":2}'];

async function ask(config: object | null, body: string, cuts: number[]) {
  upstream.use(
    http.post(
      OPENAI,
      () => new HttpResponse(chunkedBody(body, cuts), { headers: { "content-type": "text/event-stream" } }),
    ),
  );
  const trace = uniqueTrace("stream-choices");
  const headers: Record<string, string> = {
    "x-portkey-provider": "openai",
    authorization: "Bearer sk-test",
    "x-portkey-trace-id": trace,
  };
  if (config) headers["x-portkey-config"] = JSON.stringify(config);
  const res = await callWith(
    { LOG_BODIES: "true" },
    { headers, body: { model: "gpt-4o-mini", n: 2, messages: [{ role: "user", content: "hi" }], stream: true } },
  );
  return { res, trace };
}

const redact = { output_guardrails: [{ pii: { redact: true } }] };
const denyPii = { output_guardrails: [{ pii: {}, deny: true }] };

describe("output guardrails on a stream with n = 2", () => {
  it("redacts the e-mail in choice 1 only; choice 0 is untouched", async () => {
    const { res, trace } = await ask(redact, twoChoices, [7, 150, 151, 333, 610, 611, 900]);
    expect(res.status).toBe(200);
    expect(contentOf(res.text, 0)).toBe("The weather is fine today, enjoy it.");
    expect(contentOf(res.text, 1)).toBe("Write to [EMAIL_ADDRESS_1] for the details, thanks.");
    for (const leak of ["ann@", "exa", "mple.com"]) expect(res.text).not.toContain(leak);
    expect(dataOf(res.text).at(-1)).toBe("[DONE]");
    const row = await loggedRow(trace);
    expect(row.response_body).not.toContain(EMAIL);
    expect(row.response_body).toContain("[EMAIL_ADDRESS_1]");
  });

  it("a deny from choice 1 ends the stream with hooks_failed before any offending text of either choice", async () => {
    const { res, trace } = await ask(denyPii, twoChoices, [5, 230, 231, 700]);
    const data = dataOf(res.text);
    const last = JSON.parse(data.at(-1) ?? "{}") as { error?: { type?: string } };
    expect(last.error?.type).toBe("hooks_failed");
    expect(res.text).not.toContain("[DONE]");
    for (const leak of ["ann@", "mple.com", "for the details"]) expect(res.text).not.toContain(leak);
    const row = await loggedRow(trace);
    expect(row.stream_error).toBe("denied by an output guardrail");
    expect(row.response_body ?? "").not.toContain("ann@");
  });
});

describe("output guardrails on streamed tool-call arguments", () => {
  it("a card number in the arguments with a pii deny hook: hooks_failed instead of [DONE], no digits sent", async () => {
    const { res, trace } = await ask(denyPii, toolCall(cardArgs), [9, 260, 261, 420]);
    const data = dataOf(res.text);
    const last = JSON.parse(data.at(-1) ?? "{}") as { error?: { type?: string }; hook_results?: unknown };
    expect(last.error?.type).toBe("hooks_failed");
    expect(JSON.stringify(last.hook_results)).toContain("default.pii");
    expect(res.text).not.toContain("[DONE]");
    expect(res.text).not.toContain(CARD.slice(0, 4));
    const row = await loggedRow(trace);
    expect(row.stream_error).toBe("denied by an output guardrail");
    expect(row.response_body ?? "").not.toContain(CARD.slice(0, 4));
  });

  it("a pii redact hook: the client's arguments are valid JSON with the placeholder, never the address", async () => {
    const { res, trace } = await ask(redact, toolCall(mailArgs), [3, 170, 171, 300]);
    expect(dataOf(res.text).at(-1)).toBe("[DONE]");
    expect(JSON.parse(argumentsOf(res.text))).toEqual({ to: "[EMAIL_ADDRESS_1]", n: 2 });
    expect(res.text).not.toContain("ann@");
    const row = await loggedRow(trace);
    expect(row.response_body ?? "").not.toContain("ann@");
  });

  it("clean arguments go out as the provider sent them", async () => {
    const clean = ['{"city":"Par', 'is","days":3}'];
    const { res } = await ask(denyPii, toolCall(clean), [11, 200]);
    expect(argumentsOf(res.text)).toBe('{"city":"Paris","days":3}');
    expect(dataOf(res.text).at(-1)).toBe("[DONE]");
  });
});

describe("a single-choice stream without findings", () => {
  it("is byte-identical to the same stream without guardrails", async () => {
    const single =
      frame(0, { role: "assistant", content: "" }) +
      ["Nothing to ", "hide here, just ", "a plain answer."].map((content) => frame(0, { content })).join("") +
      frame(0, {}, "stop") +
      "data: [DONE]\n\n";
    const plain = await ask(null, single, [13, 99]);
    const guarded = await ask(redact, single, [13, 99, 100, 240]);
    expect(guarded.res.text).toBe(plain.res.text);
    expect(contentOf(guarded.res.text, 0)).toBe("Nothing to hide here, just a plain answer.");
  });
});
