import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { parseSseText } from "../../providers/shared/sse";
import { openaiResponse } from "../fixtures/inbound-responses/openai";
import { chunkedBody, gateway, upstream, useFakeUpstreams } from "./harness";

/*
 * Guardrails on /v1/responses to an OpenAI target (the native path): input redaction reaches OpenAI's Responses
 * body, a deny calls nothing, output hooks judge the response's output_text parts.
 */

useFakeUpstreams();

const RESPONSES = "https://api.openai.com/v1/responses";
const CHAT = "https://api.openai.com/v1/chat/completions";
const EMAIL = "ann@example.com";

const headersWith = (config: object) => ({
  "x-portkey-provider": "openai",
  authorization: "Bearer sk-test-native-guard-0001",
  "x-portkey-config": JSON.stringify(config),
});
const redactInput = { input_guardrails: [{ pii: { redact: true, restore: true } }] };
const responses = (headers: Record<string, string>, body: unknown) => gateway({ path: "/v1/responses", headers, body });

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

const firstMessage = openaiResponse.output[0];
const answerWith = (text: string) => ({
  ...openaiResponse,
  id: `resp_${crypto.randomUUID().replaceAll("-", "")}`,
  output: [
    { type: "reasoning", id: "rs_1", summary: [] },
    { ...firstMessage, content: [{ type: "output_text", text, annotations: [], logprobs: [] }] },
  ],
});
const outputTexts = (body: { output: { type: string; content?: { text: string }[] }[] }) =>
  body.output.flatMap((item) => (item.type === "message" ? (item.content ?? []).map((part) => part.text) : []));

describe("/v1/responses to OpenAI: input guardrails", () => {
  it("a string input reaches OpenAI redacted; the client gets the original back", async () => {
    const seen = record(RESPONSES, () => HttpResponse.json(answerWith("Sent to [EMAIL_ADDRESS_1].")));
    const res = await responses(headersWith(redactInput), {
      model: "gpt-4.1",
      input: `mail ${EMAIL}`,
      store: false,
      reasoning: { effort: "low" },
    });
    expect(res.status).toBe(200);
    expect(seen[0]).toEqual({
      model: "gpt-4.1",
      input: "mail [EMAIL_ADDRESS_1]",
      store: false,
      reasoning: { effort: "low" },
    });
    const body = (await res.json()) as Parameters<typeof outputTexts>[0] & { object: string };
    expect(body.object).toBe("response");
    expect(outputTexts(body)).toEqual([`Sent to ${EMAIL}.`]);
  });

  it("an input list has its last user message's input_text parts replaced; other items are kept", async () => {
    const seen = record(RESPONSES, () => HttpResponse.json(answerWith("ok")));
    const input = [
      { role: "developer", content: "Be brief." },
      {
        type: "message",
        role: "user",
        content: [
          { type: "input_text", text: `I am ${EMAIL}` },
          { type: "input_image", image_url: "https://example.com/a.png", detail: "low" },
        ],
      },
    ];
    const res = await responses(headersWith(redactInput), { model: "gpt-4.1", input, store: false });
    expect(res.status).toBe(200);
    expect(seen[0]).toEqual({
      model: "gpt-4.1",
      store: false,
      input: [
        input[0],
        {
          type: "message",
          role: "user",
          content: [
            { type: "input_text", text: "I am [EMAIL_ADDRESS_1]" },
            { type: "input_image", image_url: "https://example.com/a.png", detail: "low" },
          ],
        },
      ],
    });
  });

  it("a deny calls nothing and answers 446 in the OpenAI envelope", async () => {
    const seen = record(RESPONSES, () => HttpResponse.json(openaiResponse));
    const config = { input_guardrails: [{ regexMatch: { rule: "@example\\.com", not: true }, deny: true }] };
    const res = await responses(headersWith(config), { model: "gpt-4.1", input: `mail ${EMAIL}` });
    expect(res.status).toBe(446);
    expect(seen).toHaveLength(0);
    expect(await res.json()).toMatchObject({ error: { type: "hooks_failed" }, hook_results: expect.any(Object) });
  });
});

describe("/v1/responses to OpenAI: output guardrails", () => {
  const denySecret = { output_guardrails: [{ contains: { words: ["internal-only"], operator: "none" }, deny: true }] };

  it("a JSON response is judged on its output_text: a deny is a 446", async () => {
    record(RESPONSES, () => HttpResponse.json(answerWith("this is internal-only data")));
    const res = await responses(headersWith(denySecret), { model: "gpt-4.1", input: "hi", store: false });
    expect(res.status).toBe(446);
    const text = await res.text();
    expect(text).not.toContain("internal-only data");
    expect(JSON.parse(text)).toMatchObject({ error: { type: "hooks_failed" } });
  });

  it("pii redact without restore rewrites the response's output_text, other items kept", async () => {
    record(RESPONSES, () => HttpResponse.json(answerWith(`Reach me at ${EMAIL} today`)));
    const config = { output_guardrails: [{ pii: { redact: true } }] };
    const res = await responses(headersWith(config), { model: "gpt-4.1", input: "hi", store: false });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Parameters<typeof outputTexts>[0];
    expect(body.output[0]).toEqual({ type: "reasoning", id: "rs_1", summary: [] });
    expect(outputTexts(body)).toEqual(["Reach me at [EMAIL_ADDRESS_1] today"]);
  });

  it("a stream with output hooks goes through chat and is redacted, wherever the chat stream is cut", async () => {
    const base = { id: "chatcmpl-n", object: "chat.completion.chunk", created: 1, model: "gpt-4.1" };
    const frame = (content: string | null, finish: string | null = null) =>
      `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: content === null ? {} : { content }, finish_reason: finish }] })}\n\n`;
    const recorded =
      ["Reach me at ann@exa", "mple.com today"].map((p) => frame(p)).join("") +
      frame(null, "stop") +
      "data: [DONE]\n\n";
    const length = new TextEncoder().encode(recorded).length;
    for (let cut = 1; cut < length; cut += 29) {
      const seen = record(
        CHAT,
        () => new HttpResponse(chunkedBody(recorded, [cut]), { headers: { "content-type": "text/event-stream" } }),
      );
      const config = { output_guardrails: [{ pii: { redact: true } }] };
      const res = await responses(headersWith(config), { model: "gpt-4.1", input: "hi", stream: true, store: false });
      expect(res.status).toBe(200);
      expect(seen).toHaveLength(1);
      const body = await res.text();
      expect(body, `cut at ${cut}`).not.toContain(EMAIL);
      const deltas = parseSseText(body)
        .map((event) => JSON.parse(event.data) as { type: string; delta?: string })
        .filter((data) => data.type === "response.output_text.delta")
        .map((data) => data.delta ?? "")
        .join("");
      expect(deltas, `cut at ${cut}`).toBe("Reach me at [EMAIL_ADDRESS_1] today");
    }
  }, 120_000);

  it("a stream denied by an output hook ends with an error event before the offending text", async () => {
    const base = { id: "chatcmpl-d", object: "chat.completion.chunk", created: 1, model: "gpt-4.1" };
    const frame = (content: string) =>
      `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
    const recorded = ["All fine. ", "Now the internal-", "only part."].map(frame).join("") + "data: [DONE]\n\n";
    record(
      CHAT,
      () => new HttpResponse(chunkedBody(recorded, [40, 170]), { headers: { "content-type": "text/event-stream" } }),
    );
    const res = await responses(headersWith(denySecret), { model: "gpt-4.1", input: "hi", stream: true, store: false });
    const body = await res.text();
    expect(body).not.toContain("internal-");
    const types = parseSseText(body).map((event) => (JSON.parse(event.data) as { type: string }).type);
    expect(types).not.toContain("response.completed");
    expect(types.at(-1)).toMatch(/error|failed/);
  });

  it("a stream without guardrails stays native", async () => {
    const seen = record(
      RESPONSES,
      () =>
        new HttpResponse(
          `event: response.completed\ndata: ${JSON.stringify({ type: "response.completed", sequence_number: 0, response: openaiResponse })}\n\n`,
          {
            headers: { "content-type": "text/event-stream" },
          },
        ),
    );
    const res = await responses(
      { "x-portkey-provider": "openai", authorization: "Bearer sk-test-native-guard-0001" },
      { model: "gpt-4.1", input: "hi", stream: true, store: false },
    );
    expect(res.status).toBe(200);
    await res.text();
    expect(seen).toHaveLength(1);
  });
});
