import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { chunkedBody, gateway, sseData, upstream, useFakeUpstreams } from "./harness";

useFakeUpstreams();

const OPENAI = "https://api.openai.com/v1/chat/completions";
const base = { id: "chatcmpl-r", object: "chat.completion.chunk", created: 1, model: "gpt-4o-mini" };
const frame = (content: string | null, finish: string | null = null) =>
  `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: content === null ? {} : { content }, finish_reason: finish }] })}\n\n`;
// Placeholders split across frames; the answer ends on an incomplete `[EMAIL`, which is held and then sent as is.
const pieces = ["Sent to [EMAIL_", "ADDRESS_1] from [CRE", "DIT_CARD_1", "]. Also [EMAIL"];
const recorded = pieces.map((p) => frame(p)).join("") + frame(null, "stop") + "data: [DONE]\n\n";
const length = new TextEncoder().encode(recorded).length;

const headers = {
  "x-portkey-provider": "openai",
  authorization: "Bearer sk-test",
  "x-portkey-config": JSON.stringify({
    input_guardrails: [{ pii: { categories: ["EMAIL_ADDRESS", "CREDIT_CARD"], redact: true, restore: true } }],
  }),
};
const ask = {
  model: "gpt-4o-mini",
  stream: true,
  messages: [{ role: "user", content: "mail ann@example.com with card 4111 1111 1111 1111" }],
};

const contentOf = (data: string[]) =>
  data
    .filter((d) => d !== "[DONE]")
    .map((d) => (JSON.parse(d) as { choices: { delta: { content?: string } }[] }).choices[0]?.delta.content ?? "")
    .join("");

describe("PII placeholders restored in streamed answers", () => {
  it("the provider gets placeholders; the client gets its own values back, at every byte boundary", async () => {
    const seen: string[] = [];
    for (let cut = 1; cut < length; cut += 1) {
      upstream.use(
        http.post(OPENAI, async ({ request }) => {
          const body = (await request.json()) as { messages: { content: string }[] };
          seen.push(body.messages.at(-1)?.content ?? "");
          return new HttpResponse(chunkedBody(recorded, [cut, cut + 5]), {
            headers: { "content-type": "text/event-stream" },
          });
        }),
      );
      const r = await gateway({ headers, body: ask });
      expect(r.status).toBe(200);
      const data = await sseData(r);
      expect(contentOf(data), `cut at ${cut}`).toBe("Sent to ann@example.com from 4111 1111 1111 1111. Also [EMAIL");
      expect(data.at(-1), `cut at ${cut}`).toBe("[DONE]");
      expect(data.join(""), `cut at ${cut}`).not.toContain("[EMAIL_ADDRESS_1]");
    }
    expect(new Set(seen)).toEqual(new Set(["mail [EMAIL_ADDRESS_1] with card [CREDIT_CARD_1]"]));
  }, 240_000);

  it("without a redaction the stream is passed through byte for byte", async () => {
    upstream.use(
      http.post(
        OPENAI,
        () => new HttpResponse(chunkedBody(recorded, [7, 90]), { headers: { "content-type": "text/event-stream" } }),
      ),
    );
    const plain = {
      ...headers,
      "x-portkey-config": JSON.stringify({ input_guardrails: [{ pii: { redact: false } }] }),
    };
    const r = await gateway({ headers: plain, body: { ...ask, messages: [{ role: "user", content: "hello" }] } });
    expect(await r.text()).toBe(recorded);
  });
});
