import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { MAX_MODEL_CHARS } from "../../src/observability/limits";
import { gateway, upstream, useFakeUpstreams } from "./harness";
import { completion, OPENAI } from "./observability-fakes";
import { loggedRow, uniqueTrace } from "./observability-helpers";

useFakeUpstreams();

/** Requests with absurd fields are logged too, once, with the fields clipped (never dropped by the consumer). */

describe("unusual requests still produce exactly one log row", { timeout: 30_000 }, () => {
  it("a path longer than the event schema allows (2048 characters)", async () => {
    const trace = uniqueTrace("long-path");
    const path = `/v1/${"p".repeat(3000)}`;
    const res = await gateway({ method: "GET", path, headers: { "x-portkey-trace-id": trace } });
    expect(res.status).toBe(404);
    const row = await loggedRow(trace);
    expect(row.status).toBe(404);
    expect(row.path).toBe(path.slice(0, 2048));
  });

  it("a 130 KB model name, echoed by the provider: bigger than a queue message", async () => {
    upstream.use(
      http.post(OPENAI, async ({ request }) => {
        const { model } = (await request.json()) as { model: string };
        return HttpResponse.json(completion({ prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 }, model));
      }),
    );
    const trace = uniqueTrace("long-model");
    const model = "m".repeat(130_000);
    const res = await gateway({
      headers: {
        "x-portkey-provider": "openai",
        authorization: "Bearer sk-test-limits-key-0000",
        "x-portkey-trace-id": trace,
      },
      body: { model, messages: [{ role: "user", content: "Hi" }] },
    });
    expect(res.status).toBe(200);
    await res.text();
    const row = await loggedRow(trace);
    const clipped = model.slice(0, MAX_MODEL_CHARS);
    expect(row).toMatchObject({
      status: 200,
      requested_model: clipped,
      served_model: clipped,
      model: clipped,
      cost_unpriced: 1,
    });
    expect(JSON.parse(row.attempts)).toMatchObject([{ model: clipped, status: 200 }]);
  });
});
