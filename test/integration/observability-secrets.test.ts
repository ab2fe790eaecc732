import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { REDACTED } from "../../src/observability/scrub";
import { brokenBody, upstream, useFakeUpstreams } from "./harness";
import { bearer, createKey, createVirtualKey } from "./governance-helpers";
import { callWith, chunk, OPENAI, serveSse, sse } from "./observability-fakes";
import { loggedRow, uniqueTrace, type LogRowRaw } from "./observability-helpers";

useFakeUpstreams();

/**
 * A virtual key's provider key is a secret the caller never sent, so nothing the caller sent can find it: the
 * logger redacts what routing used (outcome.redact). The key is not shaped like one (no `sk-`), so only that works.
 */

const storedText = (row: LogRowRaw): string =>
  JSON.stringify([row.error_message, row.stream_error, row.attempts, row.request_body, row.response_body]);

async function virtualKeyCaller() {
  const secret = `vaultplain${crypto.randomUUID().replaceAll("-", "")}`;
  const vk = await createVirtualKey({ api_key: secret });
  const { key } = await createKey();
  return {
    secret,
    headers: (trace: string) => ({ ...bearer(key), "x-portkey-virtual-key": vk.slug, "x-portkey-trace-id": trace }),
  };
}

const chat = (stream = false) => ({ model: "gpt-4o-mini", stream, messages: [{ role: "user", content: "Hi" }] });

describe("a virtual key's provider key never reaches a log row", { timeout: 30_000 }, () => {
  it("a provider that echoes the key it refused (401): error message, attempts and the logged body", async () => {
    upstream.use(
      http.post(OPENAI, ({ request }) => {
        const token = (request.headers.get("authorization") ?? "").replace(/^Bearer /, "");
        return HttpResponse.json(
          {
            error: {
              message: `Incorrect API key provided: ${token}`,
              type: "invalid_request_error",
              code: "invalid_api_key",
            },
          },
          { status: 401 },
        );
      }),
    );
    const { secret, headers } = await virtualKeyCaller();
    const trace = uniqueTrace("vk-401");
    const res = await callWith({ LOG_BODIES: "true" }, { headers: headers(trace), body: chat() });
    expect(res.status).toBe(401);
    expect(res.text).not.toContain(secret);
    const row = await loggedRow(trace);
    expect(row).toMatchObject({ status: 401, is_error: 1 });
    expect(row.error_message).toBe(`Incorrect API key provided: ${REDACTED}`);
    expect(JSON.parse(row.attempts)).toMatchObject([{ status: 401 }]);
    expect(row.response_body).toContain(REDACTED);
    expect(storedText(row)).not.toContain(secret);
  });

  it("a stream that breaks with an error quoting the key: stream_error, and the client's error event", async () => {
    const { secret, headers } = await virtualKeyCaller();
    const failure = `data: ${JSON.stringify({ error: { message: `quota exceeded for key ${secret}`, type: "insufficient_quota" } })}\n\n`;
    serveSse(OPENAI, () =>
      brokenBody(sse([chunk({ role: "assistant", content: "" }), chunk({ content: "Hel" })], false) + failure),
    );
    const trace = uniqueTrace("vk-stream");
    const res = await callWith({ LOG_BODIES: "true" }, { headers: headers(trace), body: chat(true) });
    expect(res.status).toBe(200);
    expect(res.text).toContain(`quota exceeded for key ${REDACTED}`);
    expect(res.text).not.toContain(secret);
    const row = await loggedRow(trace);
    expect(row).toMatchObject({ stream: 1, is_error: 1 });
    expect(row.stream_error).toBe(`quota exceeded for key ${REDACTED}`);
    expect(storedText(row)).not.toContain(secret);
  });
});
