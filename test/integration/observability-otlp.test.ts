import { env } from "cloudflare:workers";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { parseTraceparent } from "../../src/observability/traceparent";
import { upstream, useFakeUpstreams } from "./harness";
import { deliver, makeEvent, rowsOfTrace } from "./observability-helpers";

useFakeUpstreams();

/** The consumer's OTLP/HTTP JSON export, captured at the network edge. */

const OTEL = {
  OTEL_EXPORTER_OTLP_ENDPOINT: "https://otel.test",
  OTEL_EXPORTER_OTLP_HEADERS: "authorization=Bearer%20otel-secret,x-tenant=gateway",
};

interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Array<{ key: string; value: Record<string, unknown> }>;
  status: { code: number };
}
interface Payload {
  resourceSpans: Array<{
    resource: { attributes: unknown[] };
    scopeSpans: Array<{ scope: { name: string }; spans: Span[] }>;
  }>;
}

function collector(status = 200) {
  const posts: Array<{ headers: Headers; body: Payload }> = [];
  upstream.use(
    http.post("https://otel.test/v1/traces", async ({ request }) => {
      posts.push({ headers: request.headers, body: (await request.json()) as Payload });
      return status === 200 ? HttpResponse.json({ partialSuccess: {} }) : new HttpResponse("unavailable", { status });
    }),
  );
  return posts;
}

const attr = (span: Span | undefined, key: string) => span?.attributes.find((a) => a.key === key)?.value;

const event = () =>
  makeEvent({
    traceparent: parseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
    requested_model: "gpt-4o",
    served_model: "gpt-4o-2024-08-06",
    tokens: { prompt: 21, completion: 9, cached_read: 0, cache_write: 0, reasoning: 0, total: 30, estimated: false },
    attempts: [
      {
        target: "config.targets[0]",
        provider: "anthropic",
        model: "claude-sonnet-4-5",
        retry: 0,
        status: 529,
        start_ms: 2,
        latency_ms: 40,
        error: "overloaded",
        skipped: null,
        cached: false,
      },
      {
        target: "config.targets[1]",
        provider: "openai",
        model: "gpt-4o",
        retry: 0,
        status: 200,
        start_ms: 45,
        latency_ms: 50,
        error: null,
        skipped: null,
        cached: false,
      },
    ],
  });

describe("OTLP export", () => {
  it("posts one server span per request and a client child per attempt, GenAI attributes, auth headers from the secret", async () => {
    const posts = collector();
    const events = [event(), makeEvent()];
    const { result } = await deliver(events, { env: { ...env, ...OTEL } });
    expect(result.retryMessages).toEqual([]);
    expect(posts).toHaveLength(1);
    const post = posts[0];
    expect(post?.headers.get("authorization")).toBe("Bearer otel-secret");
    expect(post?.headers.get("x-tenant")).toBe("gateway");
    expect(post?.headers.get("content-type")).toBe("application/json");
    const spans = post?.body.resourceSpans[0]?.scopeSpans[0]?.spans ?? [];
    expect(spans).toHaveLength(5); // 1 + 2 attempts, 1 + 1 attempt
    const root = spans[0];
    expect(root).toMatchObject({
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      parentSpanId: "00f067aa0ba902b7",
      kind: 2,
      name: "chat gpt-4o-2024-08-06",
    });
    expect(attr(root, "gen_ai.system")).toEqual({ stringValue: "openai" });
    expect(attr(root, "gen_ai.request.model")).toEqual({ stringValue: "gpt-4o" });
    expect(attr(root, "gen_ai.response.model")).toEqual({ stringValue: "gpt-4o-2024-08-06" });
    expect(attr(root, "gen_ai.usage.input_tokens")).toEqual({ intValue: "21" });
    expect(attr(root, "gen_ai.usage.output_tokens")).toEqual({ intValue: "9" });
    const children = spans.slice(1, 3);
    for (const child of children)
      expect(child).toMatchObject({ traceId: root?.traceId, parentSpanId: root?.spanId, kind: 3 });
    expect(children.map((c) => attr(c, "gen_ai.system"))).toEqual([
      { stringValue: "anthropic" },
      { stringValue: "openai" },
    ]);
    expect(children[0]?.status.code).toBe(2);
  });

  it("retries the messages whose export failed; the redelivery writes nothing twice and exports again", async () => {
    const failing = collector(503);
    const events = [event()];
    const first = await deliver(events, { env: { ...env, ...OTEL } });
    expect(failing).toHaveLength(1);
    expect(first.result.retryMessages.map((m) => m.msgId)).toEqual(first.ids);
    expect(await rowsOfTrace(events[0]?.trace_id ?? "")).toHaveLength(1); // the log is safe in D1 already

    upstream.resetHandlers();
    const working = collector();
    const second = await deliver(events, { env: { ...env, ...OTEL }, attempts: 2, ids: first.ids });
    expect(second.result.explicitAcks).toEqual(first.ids);
    expect(working).toHaveLength(1);
    expect(await rowsOfTrace(events[0]?.trace_id ?? "")).toHaveLength(1);
  });

  it("retries only what may pass (429, 502, 503, 504, network errors); a refusal is logged and acked", async () => {
    const outcomes: Array<[number | "network error", boolean]> = [
      [400, false],
      [401, false],
      [413, false],
      [500, false],
      [429, true],
      [502, true],
      [504, true],
      ["network error", true],
    ];
    for (const [status, retried] of outcomes) {
      upstream.resetHandlers();
      let posts = 0;
      upstream.use(
        http.post("https://otel.test/v1/traces", () => {
          posts++;
          return status === "network error" ? HttpResponse.error() : new HttpResponse("no", { status });
        }),
      );
      const events = [event()];
      const { result, ids } = await deliver(events, { env: { ...env, ...OTEL } });
      expect(posts, String(status)).toBe(1);
      expect(
        result.retryMessages.map((m) => m.msgId),
        String(status),
      ).toEqual(retried ? ids : []);
      expect(result.explicitAcks, String(status)).toEqual(retried ? [] : ids);
      expect(await rowsOfTrace(events[0]?.trace_id ?? ""), String(status)).toHaveLength(1); // written either way
    }
  });

  it("is off when OTEL_EXPORTER_OTLP_ENDPOINT is empty", async () => {
    // msw fails the test on any unexpected request: nothing may be posted.
    const { result } = await deliver([event()]);
    expect(result.retryMessages).toEqual([]);
  });
});
