import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { gateway, upstream, useFakeUpstreams } from "./harness";
import { callWith } from "./observability-fakes";
import { loggedRow, uniqueTrace } from "./observability-helpers";

useFakeUpstreams();

/*
 * Output hooks judge every choice of a JSON answer (n > 1) and every tool call's arguments, not only the first
 * choice's content: a deny when any of them fails, a redaction in each of them (arguments stay valid JSON), and
 * input placeholders restored in tool-call arguments too.
 */

const OPENAI = "https://api.openai.com/v1/chat/completions";
const CARD = "4111 1111 1111 1111";
const EMAIL = "ann.lee@example.com";

type Message = { role: "assistant"; content: string | null; tool_calls?: object[] };
const answer = (...messages: Message[]) => ({
  id: "chatcmpl-n",
  object: "chat.completion",
  created: 1,
  model: "gpt-4o-mini",
  choices: messages.map((message, index) => ({ index, message, finish_reason: "stop" })),
  usage: { prompt_tokens: 5, completion_tokens: 9, total_tokens: 14 },
});
const say = (content: string): Message => ({ role: "assistant", content });
const toolCall = (args: string): Message => ({
  role: "assistant",
  content: null,
  tool_calls: [{ id: "call_1", type: "function", function: { name: "send_mail", arguments: args } }],
});

function provider(body: object): void {
  upstream.use(http.post(OPENAI, () => HttpResponse.json(body)));
}

const ask = (guardrails: object, n = 1) =>
  gateway({
    headers: {
      "x-portkey-provider": "openai",
      authorization: "Bearer sk-test",
      "x-portkey-config": JSON.stringify(guardrails),
    },
    body: { model: "gpt-4o-mini", messages: [{ role: "user", content: "mail ann.lee@example.com" }], n },
  });

interface Body {
  choices: { message: { content: string | null; tool_calls?: { function: { arguments: string } }[] } }[];
  hook_results: { after_request_hooks: { verdict: boolean; transformed: boolean; checks: { verdict: boolean }[] }[] };
  error?: { type: string };
}

const denyPii = { output_guardrails: [{ pii: {}, deny: true }] };
const redactPii = { output_guardrails: [{ pii: { redact: true } }] };

describe("output hooks on every choice (n > 1)", () => {
  it("a PII deny fires when only the second choice has PII: 446, one merged hook result", async () => {
    provider(answer(say("Nothing to report."), say(`Your card is ${CARD} now.`)));
    const r = await ask(denyPii, 2);
    expect(r.status).toBe(446);
    const text = await r.text();
    expect(text).not.toContain(CARD);
    const body = JSON.parse(text) as Body;
    expect(body.error?.type).toBe("hooks_failed");
    expect(body.hook_results.after_request_hooks).toHaveLength(1);
    expect(body.hook_results.after_request_hooks[0]?.verdict).toBe(false);
  });

  it("a redaction rewrites each choice, numbered per choice", async () => {
    provider(answer(say(`Mail ${EMAIL} today.`), say(`Card ${CARD} and ${EMAIL}.`)));
    const r = await ask(redactPii, 2);
    expect(r.status).toBe(200);
    const body = (await r.json()) as Body;
    expect(body.choices.map((c) => c.message.content)).toEqual([
      "Mail [EMAIL_ADDRESS_1] today.",
      "Card [CREDIT_CARD_1] and [EMAIL_ADDRESS_1].",
    ]);
    expect(body.hook_results.after_request_hooks[0]).toMatchObject({ verdict: true, transformed: true });
  });

  it("a maximum word count judges each choice alone, not the choices joined", async () => {
    provider(answer(say("one two three"), say("four five six")));
    const r = await ask({ output_guardrails: [{ wordCount: { maxWords: 5 }, deny: true }] }, 2);
    expect(r.status).toBe(200);
    provider(answer(say("one two three"), say("four five six seven eight nine")));
    expect((await ask({ output_guardrails: [{ wordCount: { maxWords: 5 }, deny: true }] }, 2)).status).toBe(446);
  });
});

describe("output hooks on tool-call arguments", () => {
  it("PII in the arguments is denied", async () => {
    provider(answer(toolCall(JSON.stringify({ to: EMAIL, subject: "hi" }))));
    const r = await ask(denyPii);
    expect(r.status).toBe(446);
    expect(await r.text()).not.toContain(EMAIL);
  });

  it("a redaction changes string values only: the arguments stay valid JSON, keys and numbers kept", async () => {
    provider(answer(toolCall(JSON.stringify({ to: EMAIL, cc: [EMAIL, "x"], count: 4111, nested: { card: CARD } }))));
    const r = await ask(redactPii);
    expect(r.status).toBe(200);
    const body = (await r.json()) as Body;
    const args = body.choices[0]?.message.tool_calls?.[0]?.function.arguments ?? "";
    expect(JSON.parse(args)).toEqual({
      to: "[EMAIL_ADDRESS_1]",
      cc: ["[EMAIL_ADDRESS_1]", "x"],
      count: 4111,
      nested: { card: "[CREDIT_CARD_1]" },
    });
  });

  it("input placeholders are restored inside tool-call arguments; the log keeps the placeholders", async () => {
    provider(answer(toolCall('{"to":"[EMAIL_ADDRESS_1]"}')));
    const trace = uniqueTrace("tool-restore");
    const config = { input_guardrails: [{ pii: { redact: true, restore: true } }] };
    const res = await callWith(
      { LOG_BODIES: "true" },
      {
        headers: {
          "x-portkey-provider": "openai",
          authorization: "Bearer sk-test",
          "x-portkey-config": JSON.stringify(config),
          "x-portkey-trace-id": trace,
        },
        body: { model: "gpt-4o-mini", messages: [{ role: "user", content: `mail ${EMAIL}` }] },
      },
    );
    const body = JSON.parse(res.text) as Body;
    expect(JSON.parse(body.choices[0]?.message.tool_calls?.[0]?.function.arguments ?? "")).toEqual({ to: EMAIL });
    const row = await loggedRow(trace);
    expect(row.response_body).toContain("[EMAIL_ADDRESS_1]");
    expect(row.response_body).not.toContain(EMAIL);
  });
});
