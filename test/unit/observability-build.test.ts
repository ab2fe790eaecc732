import { describe, expect, it } from "vitest";
import { estimateTokens } from "../../schema/pricing";
import { emptyOutcome, type RequestOutcome, type RouteOutcome } from "../../src/context";
import { buildEvent, CLIENT_ABORT, effectiveModel, type EventInput } from "../../src/observability/build";
import { logEventSchema } from "../../src/observability/event";
import { REDACTED } from "../../src/observability/scrub";

/** An outcome's parts as a test names them; `route.stream` defaults to false. */
type OutcomeParts = Omit<Partial<RequestOutcome>, "route"> & { route?: Partial<RouteOutcome> };

function input(parts: OutcomeParts, extra: Partial<EventInput> = {}): EventInput {
  const { route, ...rest } = parts;
  return {
    id: "evt-1",
    traceId: "trace-1",
    traceparent: null,
    method: "POST",
    path: "/v1/chat/completions",
    startedAtEpoch: 1_800_000_000_000,
    startedAt: 1000,
    headersAt: 1120,
    endedAt: 1500,
    status: 200,
    outcome: { ...emptyOutcome(), ...rest, route: { stream: false, ...route } },
    bodies: null,
    secrets: [],
    ...extra,
  };
}

const answered = (model: string, provider: "openai" | "anthropic" | "custom" = "openai") => ({
  provider,
  attempts: [{ target: "config", provider, model, retry: 0, status: 200, latencyMs: 100 }],
});

describe("buildEvent: tokens and cost", () => {
  it("prices cached tokens at their rates (Anthropic read and write)", () => {
    const event = buildEvent(
      input({
        route: {
          ...answered("claude-sonnet-4-5", "anthropic"),
          requestedModel: "claude-sonnet-4-5",
          servedModel: "claude-sonnet-4-5-20250929",
        },
        answer: {
          usage: {
            prompt_tokens: 10000,
            completion_tokens: 500,
            total_tokens: 10500,
            prompt_tokens_details: { cached_tokens: 6000 },
            cache_creation_input_tokens: 2000,
            completion_tokens_details: { reasoning_tokens: 120 },
          },
        },
      }),
    );
    // 2000 uncached * 3e-6 + 6000 read * 3e-7 + 2000 written * 3.75e-6 + 500 out * 1.5e-5 = 0.0228
    expect(event.cost).toEqual({
      usd: 0.0228,
      unpriced: false,
      priced_as: "anthropic/claude-sonnet-4-5-20250929",
      tier: "base",
    });
    expect(event.tokens).toEqual({
      prompt: 10000,
      completion: 500,
      cached_read: 6000,
      cache_write: 2000,
      reasoning: 120,
      total: 10500,
      estimated: false,
    });
    expect(logEventSchema.safeParse(event).success).toBe(true);
  });

  it("prices OpenAI cached reads at the cache rate", () => {
    const event = buildEvent(
      input({
        route: answered("gpt-4o"),
        answer: {
          usage: {
            prompt_tokens: 2000,
            completion_tokens: 300,
            total_tokens: 2300,
            prompt_tokens_details: { cached_tokens: 1500 },
          },
        },
      }),
    );
    // 500 * 2.5e-6 + 1500 * 1.25e-6 + 300 * 1e-5
    expect(event.cost.usd).toBe(0.006125);
  });

  it("gives an unknown model cost null and the unpriced flag, never 0", () => {
    const event = buildEvent(
      input({
        route: answered("my-finetune-xyz"),
        answer: { usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } },
      }),
    );
    expect(event.cost).toEqual({ usd: null, unpriced: true, priced_as: null, tier: null });
    const selfHosted = buildEvent(
      input({
        route: answered("llama3", "custom"),
        answer: { usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } },
      }),
    );
    expect(selfHosted.cost.unpriced).toBe(true);
  });

  it("costs nothing when no tokens were used (refused or failed before any answer)", () => {
    const event = buildEvent(
      input(
        {
          route: { requestedModel: "gpt-4o" },
          error: { status: 400, type: "invalid_request_error", message: "messages: required" },
        },
        { status: 400 },
      ),
    );
    expect(event.tokens).toMatchObject({ total: 0, estimated: false });
    expect(event.cost).toEqual({ usd: 0, unpriced: false, priced_as: null, tier: null });
    expect(event).toMatchObject({ is_error: true, error_type: "invalid_request_error", status: 400 });
  });

  it("estimates a stream that carried no usage from the prompt and the streamed text, and says so", () => {
    const requestBody = {
      model: "gpt-4o-mini",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: [{ type: "text", text: "Say hello" }] },
      ],
    };
    const event = buildEvent(
      input({
        route: { ...answered("gpt-4o-mini"), stream: true },
        requestBody,
        stream: { streamedText: "Hello there, friend!" },
      }),
    );
    const prompt = estimateTokens("Be brief.\nSay hello");
    const completion = estimateTokens("Hello there, friend!");
    expect(event.tokens).toEqual({
      prompt,
      completion,
      cached_read: 0,
      cache_write: 0,
      reasoning: 0,
      total: prompt + completion,
      estimated: true,
    });
    // gpt-4o-mini: 1.5e-7 in, 6e-7 out
    expect(event.cost.usd).toBeCloseTo(prompt * 1.5e-7 + completion * 6e-7, 12);
  });

  it("prices the model the answering target was sent when the provider did not name one (override_params)", () => {
    const outcome = {
      route: { ...answered("gpt-4o"), requestedModel: "whatever" },
      answer: { usage: { prompt_tokens: 1000, completion_tokens: 0, total_tokens: 1000 } },
    };
    const event = buildEvent(input(outcome));
    expect(effectiveModel(event)).toBe("gpt-4o");
    expect(event.cost.priced_as).toBe("openai/gpt-4o");
  });

  it("counts a cache hit as free", () => {
    const event = buildEvent(
      input({
        route: { provider: "openai" },
        cache: { status: "HIT" },
        answer: { usage: { prompt_tokens: 100, completion_tokens: 10, total_tokens: 110 } },
      }),
    );
    expect(event.cost.usd).toBe(0);
    expect(event.tokens.total).toBe(110);
  });
});

describe("buildEvent: outcome, latency and identity", () => {
  it("tells a client abort (not an error) from a mid-stream cut (an error)", () => {
    const abort = buildEvent(
      input({ route: { ...answered("gpt-4o"), stream: true }, stream: { error: CLIENT_ABORT } }),
    );
    expect(abort).toMatchObject({
      status: 200,
      is_error: false,
      error_type: "client_abort",
      stream_error: CLIENT_ABORT,
    });
    const cut = buildEvent(
      input({ route: { ...answered("gpt-4o"), stream: true }, stream: { error: "connection reset" } }),
    );
    expect(cut).toMatchObject({
      status: 200,
      is_error: true,
      error_type: "stream_error",
      error_message: "connection reset",
    });
  });

  it("splits latency into total, time to first token, upstream and gateway overhead", () => {
    const event = buildEvent(input({ route: { ...answered("gpt-4o"), stream: true }, stream: { firstTokenMs: 180 } }));
    expect(event.latency).toEqual({ total_ms: 500, ttft_ms: 180, upstream_ms: 100, gateway_overhead_ms: 20 });
    expect(event.ended_at - event.started_at).toBe(500);
  });

  it("records the attempt trail with offsets, retries and the strategy path", () => {
    const event = buildEvent(
      input({
        route: {
          provider: "openai",
          lastUsedOptionIndex: "config.targets[1]",
          retryAttemptCount: 1,
          attempts: [
            {
              target: "config.targets[0]",
              provider: "anthropic",
              model: "claude-sonnet-4-5",
              retry: 0,
              status: 529,
              latencyMs: 40,
              error: "overloaded",
              startedAt: 1005,
            },
            {
              target: "config.targets[1]",
              provider: "openai",
              model: "gpt-4o",
              retry: 0,
              status: 503,
              latencyMs: 30,
              startedAt: 1050,
            },
            {
              target: "config.targets[1]",
              provider: "openai",
              model: "gpt-4o",
              retry: 1,
              status: 200,
              latencyMs: 25,
              startedAt: 1090,
            },
          ],
        },
      }),
    );
    expect(event.strategy_path).toBe("config.targets[1]");
    expect(event.retries).toBe(1);
    expect(event.attempts.map((a) => [a.start_ms, a.status])).toEqual([
      [5, 529],
      [50, 503],
      [90, 200],
    ]);
    expect(event.latency.upstream_ms).toBe(95);
  });

  it("takes the user from metadata `_user` unless governance named one, and scrubs secrets from errors", () => {
    const event = buildEvent(
      input(
        {
          metadata: { _user: "alice", team: "search" },
          error: {
            status: 401,
            type: "authentication_error",
            message: "Incorrect API key provided: sk-live-abcdefghijklmnopqrstuvwx",
          },
        },
        { status: 401, secrets: ["gw-key-0123456789"] },
      ),
    );
    expect(event.user).toBe("alice");
    expect(event.metadata).toEqual({ _user: "alice", team: "search" });
    expect(event.error_message).toBe(`Incorrect API key provided: ${REDACTED}`);
    expect(buildEvent(input({ metadata: { _user: "alice" }, governance: { user: "bob" } })).user).toBe("bob");
  });

  it("names the operation from the path", () => {
    expect(buildEvent(input({}, { path: "/v1/embeddings" })).operation).toBe("embeddings");
    expect(buildEvent(input({}, { path: "/v1/completions" })).operation).toBe("completions");
    expect(buildEvent(input({}, { path: "/v1/nope", status: 404 })).operation).toBe("other");
  });
});
