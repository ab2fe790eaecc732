import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { upstream, useFakeUpstreams } from "./harness";
import { callWith, completion, OPENAI } from "./observability-fakes";
import { loggedRow, uniqueTrace } from "./observability-helpers";

useFakeUpstreams();

/** A client that hangs up before a JSON answer arrives is a client abort in the log, not a success. */

const headersFor = (trace: string) => ({
  "x-portkey-provider": "openai",
  authorization: "Bearer sk-test-abort-key-0000",
  "x-portkey-trace-id": trace,
});
const chat = { model: "gpt-4o-mini", messages: [{ role: "user", content: "Hi" }] };

describe("client abort before the answer", { timeout: 30_000 }, () => {
  it("is logged as client_abort, not an error, with what the provider billed", async () => {
    upstream.use(
      http.post(OPENAI, async () => {
        await new Promise((resolve) => setTimeout(resolve, 300));
        return HttpResponse.json(completion({ prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 }));
      }),
    );
    const trace = uniqueTrace("abort-json");
    const client = new AbortController();
    setTimeout(() => client.abort(), 50);
    await callWith({}, { headers: headersFor(trace), body: chat, signal: client.signal });
    expect(client.signal.aborted).toBe(true);
    const row = await loggedRow(trace);
    expect(row).toMatchObject({
      status: 200,
      stream: 0,
      is_error: 0,
      error_type: "client_abort",
      prompt_tokens: 9,
      completion_tokens: 3,
    });
    expect(row.cost_usd).toBeGreaterThan(0); // the provider answered, so it billed
  });

  it("a client that stays is logged as a plain success", async () => {
    upstream.use(
      http.post(OPENAI, () =>
        HttpResponse.json(completion({ prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 })),
      ),
    );
    const trace = uniqueTrace("no-abort-json");
    await callWith({}, { headers: headersFor(trace), body: chat, signal: new AbortController().signal });
    expect(await loggedRow(trace)).toMatchObject({ status: 200, is_error: 0, error_type: null });
  });
});
