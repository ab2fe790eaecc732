import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { chunkedBody, gateway, sseData, upstream, useFakeUpstreams } from "./harness";
import { callWith } from "./observability-fakes";
import { loggedRow, uniqueTrace } from "./observability-helpers";
import { completion } from "./routing-upstreams";

useFakeUpstreams();

/*
 * Output `default.pii` with `redact: true`: the answer the client gets has numbered placeholders instead of the
 * findings, in JSON and in streams, on every front door that translates through chat; the values never reach the
 * hook results or the log.
 */

const OPENAI = "https://api.openai.com/v1/chat/completions";
const GROQ = "https://api.groq.com/openai/v1/chat/completions";
const ANSWER = "Reach Bob at bob@corp-mail.com or on card 4111 1111 1111 1111, thanks.";
const REDACTED = "Reach Bob at [EMAIL_ADDRESS_1] or on card [CREDIT_CARD_1], thanks.";
const LEAKS = ["bob@corp", "4111"];
const config = JSON.stringify({ output_guardrails: [{ pii: { redact: true } }] });
const headers = (provider = "openai") => ({
  "x-portkey-provider": provider,
  authorization: "Bearer sk-test",
  "x-portkey-config": config,
});
const ask = (extra: object = {}) => ({
  model: "gpt-4o-mini",
  messages: [{ role: "user", content: "how do I reach Bob?" }],
  ...extra,
});

const base = { id: "chatcmpl-o", object: "chat.completion.chunk", created: 1, model: "gpt-4o-mini" };
const frame = (delta: object, finish: string | null = null) =>
  `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
const recorded =
  ["Reach Bob at bob@co", "rp-mail.com or on card 4111 11", "11 1111 1111, thanks."]
    .map((content) => frame({ content }))
    .join("") +
  frame({}, "stop") +
  "data: [DONE]\n\n";

function answerJson(url = OPENAI) {
  upstream.use(http.post(url, () => HttpResponse.json(completion("gpt-4o-mini", ANSWER))));
}
function answerStream(cuts: number[], url = OPENAI) {
  upstream.use(
    http.post(
      url,
      () => new HttpResponse(chunkedBody(recorded, cuts), { headers: { "content-type": "text/event-stream" } }),
    ),
  );
}
const contentOf = (data: string[]) =>
  data
    .filter((d) => d !== "[DONE]")
    .map((d) => (JSON.parse(d) as { choices: { delta: { content?: string } }[] }).choices[0]?.delta.content ?? "")
    .join("");

interface ChatBody {
  choices: { message: { content: string } }[];
  hook_results: { after_request_hooks: { transformed: boolean; checks: { data: Record<string, unknown> }[] }[] };
}

describe("output PII redaction", () => {
  it("JSON: the client gets placeholders; hook_results say what was redacted, never the values", async () => {
    answerJson();
    const r = await gateway({ headers: headers(), body: ask() });
    expect(r.status).toBe(200);
    const text = await r.text();
    const body = JSON.parse(text) as ChatBody;
    expect(body.choices[0]?.message.content).toBe(REDACTED);
    const hook = body.hook_results.after_request_hooks[0];
    expect(hook?.transformed).toBe(true);
    expect(hook?.checks[0]?.data).toMatchObject({ redacted: 2, counts: { EMAIL_ADDRESS: 1, CREDIT_CARD: 1 } });
    for (const leak of LEAKS) expect(text).not.toContain(leak);
  });

  it("the logged response body and hook results hold the placeholders, not the values", async () => {
    answerJson();
    const trace = uniqueTrace("out-redact");
    const res = await callWith(
      { LOG_BODIES: "true" },
      { headers: { ...headers(), "x-portkey-trace-id": trace }, body: ask() },
    );
    expect(res.status).toBe(200);
    const row = await loggedRow(trace);
    expect(row.response_body).toContain("[EMAIL_ADDRESS_1]");
    expect((row as unknown as { hook_results: string }).hook_results).toContain('"transformed":true');
    for (const leak of LEAKS) {
      expect(row.response_body).not.toContain(leak);
      expect((row as unknown as { hook_results: string }).hook_results).not.toContain(leak);
    }
  });

  it("streams: placeholders in the frames the client gets, wherever the provider's stream is cut", async () => {
    const length = new TextEncoder().encode(recorded).length;
    for (let cut = 1; cut < length; cut += 13) {
      answerStream([cut, cut + 5, cut + 61]);
      const r = await gateway({ headers: headers(), body: ask({ stream: true }) });
      expect(r.status).toBe(200);
      const data = await sseData(r);
      expect(contentOf(data), `cut at ${cut}`).toBe(REDACTED);
      expect(data.at(-1)).toBe("[DONE]");
      for (const leak of LEAKS) expect(data.join(""), `cut at ${cut}`).not.toContain(leak);
    }
  }, 60_000);

  it("streams: the logged answer is the redacted one", async () => {
    answerStream([17, 90]);
    const trace = uniqueTrace("out-redact-stream");
    const res = await callWith(
      { LOG_BODIES: "true" },
      { headers: { ...headers(), "x-portkey-trace-id": trace }, body: ask({ stream: true }) },
    );
    expect(res.text).toContain("[CREDIT_CARD_1]");
    const row = await loggedRow(trace);
    expect(row.response_body).toBe(REDACTED);
  });

  it("an answer's redaction numbers after the input's restored placeholders, never reusing one", async () => {
    upstream.use(
      http.post(OPENAI, () =>
        HttpResponse.json(completion("gpt-4o-mini", "I wrote to [EMAIL_ADDRESS_1] and to carol@corp-mail.com.")),
      ),
    );
    const both = JSON.stringify({
      input_guardrails: [{ pii: { categories: ["EMAIL_ADDRESS"], redact: true, restore: true } }],
      output_guardrails: [{ pii: { redact: true } }],
    });
    const r = await gateway({
      headers: { ...headers(), "x-portkey-config": both },
      body: { model: "gpt-4o-mini", messages: [{ role: "user", content: "write to ann@example.com" }] },
    });
    const body = (await r.json()) as ChatBody;
    // The user's own address comes back; the answer's other address stays redacted, as the next number.
    expect(body.choices[0]?.message.content).toBe("I wrote to ann@example.com and to [EMAIL_ADDRESS_2].");
  });

  it("/v1/messages (translated target): the Anthropic-format answer is redacted, JSON and stream", async () => {
    const messages = { model: "gpt-4o-mini", max_tokens: 64, messages: [{ role: "user", content: "Bob?" }] };
    answerJson();
    const r = await gateway({ path: "/v1/messages", headers: headers(), body: messages });
    expect(r.status).toBe(200);
    const body = (await r.json()) as { content: { type: string; text: string }[] };
    expect(body.content[0]?.text).toBe(REDACTED);
    answerStream([33, 70]);
    const s = await gateway({ path: "/v1/messages", headers: headers(), body: { ...messages, stream: true } });
    const text = await s.text();
    expect(text).toContain("[CREDIT_CARD_1]");
    for (const leak of LEAKS) expect(text).not.toContain(leak);
  });

  it("/v1/responses (translated target): the Responses-format answer is redacted", async () => {
    answerJson(GROQ);
    const r = await gateway({
      path: "/v1/responses",
      headers: headers("groq"),
      body: { model: "llama-3.1-8b-instant", input: "Bob?", store: false },
    });
    expect(r.status).toBe(200);
    const text = await r.text();
    expect(text).toContain(REDACTED);
    for (const leak of LEAKS) expect(text).not.toContain(leak);
  });
});
