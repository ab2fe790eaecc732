import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { brokenBody, chunkedBody, upstream, useFakeUpstreams } from "./harness";
import { callWith } from "./observability-fakes";
import { loggedRow, uniqueTrace } from "./observability-helpers";

useFakeUpstreams();

/*
 * A stream that ends without [DONE] (the provider's connection breaks, or it just closes) still goes through the
 * output redactor at its end: a finding in its very last characters, with no whitespace after it, never reaches
 * the client or the log.
 */

const OPENAI = "https://api.openai.com/v1/chat/completions";
const EMAIL = "bob@corp-mail.com";
const base = { id: "chatcmpl-b", object: "chat.completion.chunk", created: 1, model: "gpt-4o-mini" };
const frame = (content: string) =>
  `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
const frames = ["Write to b", "ob@corp-ma", "il.com"].map(frame).join("");
const config = JSON.stringify({ output_guardrails: [{ pii: { redact: true } }] });

async function ask(body: () => ReadableStream<Uint8Array>) {
  upstream.use(http.post(OPENAI, () => new HttpResponse(body(), { headers: { "content-type": "text/event-stream" } })));
  const trace = uniqueTrace("broken-stream");
  const res = await callWith(
    { LOG_BODIES: "true" },
    {
      headers: {
        "x-portkey-provider": "openai",
        authorization: "Bearer sk-test",
        "x-portkey-config": config,
        "x-portkey-trace-id": trace,
      },
      body: { model: "gpt-4o-mini", messages: [{ role: "user", content: "who?" }], stream: true },
    },
  );
  return { res, row: await loggedRow(trace) };
}

describe("output redaction at the end of a stream without [DONE]", () => {
  it("a connection reset after a trailing e-mail: the client gets the placeholder, then the error event", async () => {
    const { res, row } = await ask(() => brokenBody(frames));
    expect(res.text).not.toContain(EMAIL);
    expect(res.text).not.toContain("corp-ma");
    expect(res.text).toContain("[EMAIL_ADDRESS_1]");
    expect(res.text).not.toContain("[DONE]");
    expect(row.stream_error).toContain("connection reset");
    expect(row.response_body).toBe("Write to [EMAIL_ADDRESS_1]");
  });

  it("a stream that just closes without [DONE], cut at odd bytes: the trailing e-mail is redacted", async () => {
    const { res, row } = await ask(() => chunkedBody(frames, [3, 40, 41, 150]));
    expect(res.text).not.toContain(EMAIL);
    expect(res.text).toContain("[EMAIL_ADDRESS_1]");
    expect(row.response_body).not.toContain(EMAIL);
  });
});
