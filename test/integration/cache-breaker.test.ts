import { env } from "cloudflare:workers";
import { http, HttpResponse } from "msw";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cacheRuntime } from "../../src/cache/runtime";
import { breakerKey } from "../../src/routing/breaker/key";
import { chatBody, completion, status, uniq, waitForEntries } from "./cache-fixtures";
import { withEnv } from "./governance-helpers";
import { upstream, useFakeUpstreams } from "./harness";

useFakeUpstreams();

// withEnv waits for every waitUntil, the stats flush included: do not let it wait out its 10 s window.
const flushMs = cacheRuntime.statsFlushMs;
beforeAll(() => void (cacheRuntime.statsFlushMs = 0));
afterAll(() => void (cacheRuntime.statsFlushMs = flushMs));

const FLAKY_KEY = "sk-breaker-flaky-target";

/**
 * Two targets behind one fallback with a breaker that opens on one failure and half-opens 1 ms later. The fake
 * OpenAI answers the flaky target's key with 500 when told to, the backup's always with 200.
 */
function serve(): { flakyCalls: number; failing: boolean } {
  const state = { flakyCalls: 0, failing: false };
  upstream.use(
    http.post("https://api.openai.com/v1/chat/completions", ({ request }) => {
      if (request.headers.get("authorization") !== `Bearer ${FLAKY_KEY}`)
        return HttpResponse.json(completion("from backup"));
      state.flakyCalls += 1;
      if (state.failing)
        return HttpResponse.json(
          { error: { message: "down", type: "server_error", param: null, code: null } },
          { status: 500 },
        );
      return HttpResponse.json(completion("from flaky"));
    }),
  );
  return state;
}

const config = {
  strategy: { mode: "fallback", cb_config: { failure_threshold: 1, cooldown_ms: 1 } },
  cache: { mode: "simple", max_age: 600 },
  targets: [
    { provider: "openai", api_key: FLAKY_KEY },
    { provider: "openai", api_key: "sk-breaker-backup-target" },
  ],
};

/** Through the app with its waitUntil work awaited, so breaker reports have reached the Durable Object. */
const call = (ns: string, question: string) =>
  withEnv(
    {},
    {
      headers: { "x-portkey-config": JSON.stringify(config), "x-portkey-cache-namespace": ns },
      body: chatBody(question),
    },
  );

describe("cache hits and the circuit breaker", () => {
  it("a hit on a half-open target is not a probe: the circuit stays open until the provider itself answers", async () => {
    const ns = uniq("ns");
    const upstreamState = serve();
    const breaker = env.CIRCUIT_BREAKER.get(
      env.CIRCUIT_BREAKER.idFromName(await breakerKey({ provider: "openai", apiKey: FLAKY_KEY }, chatBody("").model)),
    );

    // Cache an answer of the flaky target while it is healthy.
    const stored = await call(ns, "Cached question");
    expect(status(stored)).toBe("MISS");
    await waitForEntries(1, `rc1:${ns}:`);

    // One failure on another question opens its circuit (the isolate learns the new state from the report's reply).
    upstreamState.failing = true;
    const failed = await call(ns, "Uncached question");
    expect(failed.status).toBe(200);
    expect(failed.headers.get("x-portkey-last-used-option-index")).toBe("config.targets[1]");
    expect((await breaker.snapshot()).openedAt).not.toBeNull();

    // Past the 1 ms cooldown the flaky target is half-open: the cached question is answered by the cache...
    const callsBefore = upstreamState.flakyCalls;
    const hit = await call(ns, "Cached question");
    expect(status(hit)).toBe("HIT");
    expect(hit.headers.get("x-portkey-last-used-option-index")).toBe("config.targets[0]");
    expect(upstreamState.flakyCalls).toBe(callsBefore);
    // ...and that answer was never reported as a successful probe: the circuit has not closed.
    expect((await breaker.snapshot()).openedAt).not.toBeNull();
  });
});
