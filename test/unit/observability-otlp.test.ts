import { describe, expect, it } from "vitest";
import { emptyOutcome } from "../../src/context";
import { buildEvent } from "../../src/observability/build";
import { spansOf, tracesPayload, type KeyValue } from "../../src/observability/otlp";
import { traceIdFor } from "../../src/observability/otlp-ids";
import { parseTraceparent } from "../../src/observability/traceparent";

const attrs = (list: KeyValue[]) => Object.fromEntries(list.map((kv) => [kv.key, Object.values(kv.value)[0]]));

function event(traceparent: ReturnType<typeof parseTraceparent> = null) {
  return buildEvent({
    id: "evt-otlp",
    traceId: "b7ad6b71-6928-4d6a-a8f1-2f9a4e6d3c21",
    traceparent,
    method: "POST",
    path: "/v1/chat/completions",
    startedAtEpoch: 1_800_000_000_000,
    startedAt: 0,
    headersAt: 300,
    endedAt: 400,
    status: 200,
    outcome: {
      ...emptyOutcome(),
      route: {
        stream: false,
        provider: "openai",
        requestedModel: "gpt-4o",
        servedModel: "gpt-4o-2024-08-06",
        attempts: [
          {
            target: "config.targets[0]",
            provider: "anthropic",
            model: "claude-sonnet-4-5",
            retry: 0,
            status: 529,
            latencyMs: 100,
            error: "overloaded",
          },
          { target: "config.targets[1]", provider: "openai", model: "gpt-4o", retry: 0, status: 200, latencyMs: 150 },
        ],
      },
      answer: { finishReason: "stop", usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 } },
      metadata: { team: "search" },
    },
    bodies: null,
    secrets: [],
  });
}

describe("W3C traceparent", () => {
  it("parses a valid header and refuses malformed or all-zero ones", () => {
    expect(parseTraceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")).toEqual({
      trace_id: "0af7651916cd43dd8448eb211c80319c",
      span_id: "b7ad6b7169203331",
      sampled: true,
    });
    expect(parseTraceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00")?.sampled).toBe(false);
    for (const bad of [
      undefined,
      "",
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331",
      "ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
      "00-00000000000000000000000000000000-b7ad6b7169203331-01",
      "00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01",
      "00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01",
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-extra",
    ]) {
      expect(parseTraceparent(bad), String(bad)).toBeNull();
    }
  });
});

describe("OTLP spans", () => {
  it("emits a SERVER span per request and a CLIENT child per attempt with GenAI attributes", async () => {
    const spans = await spansOf(event(), "gpt-4o-2024-08-06");
    expect(spans).toHaveLength(3);
    const [request, first, second] = spans;
    if (!request || !first || !second) throw new Error("spans missing");
    // A UUID trace id maps to itself, so the id the caller saw finds the trace.
    expect(request.traceId).toBe("b7ad6b7169284d6aa8f12f9a4e6d3c21");
    expect(request).toMatchObject({
      name: "chat gpt-4o-2024-08-06",
      kind: 2,
      status: { code: 0 },
      startTimeUnixNano: "1800000000000000000",
      endTimeUnixNano: "1800000000400000000",
    });
    expect(request.parentSpanId).toBeUndefined();
    expect(attrs(request.attributes)).toMatchObject({
      "gen_ai.system": "openai",
      "gen_ai.operation.name": "chat",
      "gen_ai.request.model": "gpt-4o",
      "gen_ai.response.model": "gpt-4o-2024-08-06",
      "gen_ai.usage.input_tokens": "12",
      "gen_ai.usage.output_tokens": "7",
      "http.response.status_code": "200",
      "ai_gateway.metadata.team": "search",
    });
    expect(attrs(request.attributes)["gen_ai.response.finish_reasons"]).toEqual({ values: [{ stringValue: "stop" }] });
    for (const child of [first, second])
      expect(child).toMatchObject({ traceId: request.traceId, parentSpanId: request.spanId, kind: 3 });
    // Without recorded offsets tries are laid end to end: 0-100 ms, 100-250 ms.
    expect([first.startTimeUnixNano, first.endTimeUnixNano, second.endTimeUnixNano]).toEqual([
      "1800000000000000000",
      "1800000000100000000",
      "1800000000250000000",
    ]);
    expect(first.status).toEqual({ code: 2, message: "overloaded" });
    expect(attrs(first.attributes)).toMatchObject({
      "gen_ai.system": "anthropic",
      "gen_ai.request.model": "claude-sonnet-4-5",
      "error.type": "529",
    });
    expect(new Set(spans.map((s) => s.spanId)).size).toBe(3);
    for (const span of spans) expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
  });

  it("joins the caller's trace from traceparent, and derives the same ids on every export", async () => {
    const parent = parseTraceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    const [request] = await spansOf(event(parent), null);
    expect(request).toMatchObject({ traceId: "0af7651916cd43dd8448eb211c80319c", parentSpanId: "b7ad6b7169203331" });
    expect(await spansOf(event(parent), null)).toEqual(await spansOf(event(parent), null));
  });

  it("hashes a trace id that is not hex into a valid OTel trace id", async () => {
    const id = await traceIdFor("my-app-request-42");
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(await traceIdFor("my-app-request-42")).toBe(id);
    expect(await traceIdFor("0AF7651916CD43DD8448EB211C80319C")).toBe("0af7651916cd43dd8448eb211c80319c");
  });

  it("says what a cache hit saved and which entry served it; the cached try is an internal span", async () => {
    const base = event();
    const attempts = base.attempts.map((a, i) => (i === 1 ? { ...a, cached: true } : a));
    const hit = { ...base, attempts, cache_status: "HIT", cache_saved_usd: 0.0042, cache_key: "rc1:ns:abc" };
    const [request, provider, cached] = await spansOf(hit, null);
    expect(attrs(request?.attributes ?? [])).toMatchObject({
      "ai_gateway.cache_status": "HIT",
      "ai_gateway.cache_saved_usd": 0.0042,
      "ai_gateway.cache_key": "rc1:ns:abc",
    });
    expect([provider?.kind, cached?.kind]).toEqual([3, 1]);
    expect(attrs(cached?.attributes ?? [])["ai_gateway.cached"]).toBe(true);
    expect(attrs(provider?.attributes ?? [])["ai_gateway.cached"]).toBeUndefined();
  });

  it("wraps spans in resourceSpans / scopeSpans with a service name", async () => {
    const payload = tracesPayload(await spansOf(event(), null));
    expect(payload.resourceSpans[0]?.resource.attributes).toContainEqual({
      key: "service.name",
      value: { stringValue: "ai-gateway" },
    });
    expect(payload.resourceSpans[0]?.scopeSpans[0]?.spans).toHaveLength(3);
  });
});
