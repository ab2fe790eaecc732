import { describe, expect, it } from "vitest";
import { emptyOutcome, type RequestOutcome, type RouteOutcome } from "../../src/context";
import { buildEvent, type EventInput } from "../../src/observability/build";
import { logEventSchema, type LogEvent } from "../../src/observability/event";
import { conformEvent, fitted as fit, MAX_EVENT_BYTES } from "../../src/observability/fit";
import { LIMITS, MAX_ERROR_CHARS, MAX_MODEL_CHARS } from "../../src/observability/limits";
import { REDACTED } from "../../src/observability/scrub";

/** Every request yields an event the consumer accepts and one queue message holds, however odd the request. */

/** An outcome's parts as a test names them; `route.stream` defaults to false. */
type OutcomeParts = Omit<Partial<RequestOutcome>, "route"> & { route?: Partial<RouteOutcome> };

function built(parts: OutcomeParts, extra: Partial<EventInput> = {}): LogEvent {
  const { route, ...rest } = parts;
  return buildEvent({
    id: "evt-fit",
    traceId: "trace-fit",
    traceparent: null,
    method: "POST",
    path: "/v1/chat/completions",
    startedAtEpoch: 1_800_000_000_000,
    startedAt: 0,
    headersAt: 10,
    endedAt: 20,
    status: 200,
    outcome: { ...emptyOutcome(), ...rest, route: { stream: false, ...route } },
    bodies: null,
    secrets: ["caller-secret-123456"],
    ...extra,
  });
}

const bytes = (event: LogEvent): number => new TextEncoder().encode(JSON.stringify(event)).byteLength;

describe("buildEvent clips to the schema's limits", () => {
  it("path, method, model names, errors and stream errors (scrubbed before the cut)", () => {
    const long = "x".repeat(200_000);
    const event = built(
      {
        route: {
          requestedModel: long,
          servedModel: long,
          attempts: [
            { target: "config", provider: "openai", model: long, retry: 0, status: 502, latencyMs: 5, error: long },
          ],
        },
        stream: { error: `upstream said caller-secret-123456 ${long}` },
        governance: { user: long },
      },
      { method: "M".repeat(40), path: `/v1/${long}` },
    );
    expect(event.path).toHaveLength(LIMITS.path);
    expect(event.method).toHaveLength(LIMITS.method);
    expect(event.requested_model).toHaveLength(MAX_MODEL_CHARS);
    expect(event.served_model).toHaveLength(MAX_MODEL_CHARS);
    expect(event.attempts[0]?.model).toHaveLength(MAX_MODEL_CHARS);
    expect(event.attempts[0]?.error).toHaveLength(MAX_ERROR_CHARS);
    expect(event.stream_error?.startsWith(`upstream said ${REDACTED} xxx`)).toBe(true);
    expect(event.stream_error).toHaveLength(MAX_ERROR_CHARS);
    expect(event.user).toHaveLength(LIMITS.text);
    expect(logEventSchema.safeParse(event).success).toBe(true);
  });

  it("never cuts a surrogate pair in half", () => {
    const event = built({ route: { requestedModel: `${"a".repeat(MAX_MODEL_CHARS - 1)}😀` } });
    expect(event.requested_model).toBe("a".repeat(MAX_MODEL_CHARS - 1));
  });
});

describe("fitted: the event always fits one queue message", () => {
  it("cuts every long string as a last resort, keeping the ids and a valid event", () => {
    // Control characters: JSON escapes each to 6 bytes, the worst case for the message size.
    const huge = "\u0001".repeat(20_000);
    const metadata = Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`${i}${"k".repeat(2000)}`, huge]));
    const attempts = Array.from({ length: 100 }, () => ({
      target: huge,
      provider: "openai" as const,
      model: huge,
      retry: 0,
      status: 500,
      latencyMs: 1,
      error: huge,
    }));
    const event = built({
      metadata,
      route: { attempts, lastUsedOptionIndex: huge },
      governance: { user: huge, gatewayKeyId: huge, virtualKeyId: huge },
      answer: { finishReason: huge },
    });
    expect(bytes(event)).toBeGreaterThan(MAX_EVENT_BYTES);
    const fitted = fit(event).event;
    expect(bytes(fitted)).toBeLessThanOrEqual(MAX_EVENT_BYTES);
    expect(fitted).toMatchObject({ id: "evt-fit", trace_id: "trace-fit", status: 200, operation: "chat" });
    expect(logEventSchema.safeParse(fitted).success).toBe(true);
  });
});

describe("conformEvent: the consumer repairs what it can instead of dropping the event", () => {
  it("cuts strings and lists the builder missed to the schema's limits instead of losing the event", () => {
    const event = built({});
    const odd: LogEvent = {
      ...event,
      path: `/v1/${"p".repeat(5000)}`,
      attempts: Array.from({ length: 150 }, () => ({
        target: "config",
        provider: "openai",
        model: null,
        retry: 0,
        status: 500,
        start_ms: null,
        latency_ms: 1,
        error: null,
        skipped: null,
        cached: false,
      })),
    };
    expect(logEventSchema.safeParse(odd).success).toBe(false);
    const conformed = conformEvent(odd);
    expect(logEventSchema.safeParse(conformed).success).toBe(true);
    expect(conformed?.path).toBe(odd.path.slice(0, LIMITS.path));
    expect(conformed?.attempts).toHaveLength(100);
    expect(conformEvent(event)).toEqual(event); // a valid event comes through unchanged
    expect(conformEvent({ ...event, status: "nope" })).toBeNull(); // not something cutting can fix
  });
});
