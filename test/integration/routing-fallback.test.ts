import { describe, expect, it, vi } from "vitest";
import { useFakeUpstreams } from "./harness";
import { loggedRow, uniqueTrace } from "./observability-helpers";
import { fakeTarget, route } from "./routing-upstreams";

useFakeUpstreams();

describe("fallback", () => {
  it("moves from a 500 to the second target", async () => {
    const a = fakeTarget("a", [{ status: 500 }]);
    const b = fakeTarget("b");
    const r = await route({ strategy: { mode: "fallback" }, targets: [a.target(), b.target()] });
    expect(r.status).toBe(200);
    expect(r.answer).toBe("from b");
    expect(r.index).toBe("config.targets[1]");
    expect(r.retries).toBe("0");
    expect([a.calls, b.calls]).toEqual([1, 1]);
  });

  it("moves on after a network error and after a timeout (request_timeout, to first byte)", async () => {
    const dead = fakeTarget("dead", ["network"]);
    const slow = fakeTarget("slow", [{ status: 200, delayMs: 3_000 }]);
    const ok = fakeTarget("ok");
    const r = await route({
      strategy: { mode: "fallback" },
      targets: [dead.target(), slow.target({ request_timeout: 150 }), ok.target()],
    });
    expect(r.status).toBe(200);
    expect(r.answer).toBe("from ok");
    expect(r.index).toBe("config.targets[2]");
    expect(r.ms).toBeLessThan(2_500);
  });

  it("x-portkey-request-timeout overrides request_timeout for every target", async () => {
    const slow = fakeTarget("slow", [{ status: 200, delayMs: 3_000 }]);
    const ok = fakeTarget("ok");
    const r = await route(
      { strategy: { mode: "fallback" }, request_timeout: 60_000, targets: [slow.target(), ok.target()] },
      { "x-portkey-request-timeout": "150" },
    );
    expect(r.answer).toBe("from ok");
    expect(r.ms).toBeLessThan(2_500);
  });

  it("only falls back on strategy.on_status_codes when they are given", async () => {
    const a = fakeTarget("a", [{ status: 400, message: "bad prompt" }]);
    const b = fakeTarget("b");
    const r = await route({
      strategy: { mode: "fallback", on_status_codes: [429, 503] },
      targets: [a.target(), b.target()],
    });
    expect(r.status).toBe(400);
    expect(r.answer).toBe("bad prompt");
    expect(r.index).toBe("config.targets[0]");
    expect(b.calls).toBe(0);

    const c = fakeTarget("c", [{ status: 503 }]);
    const d = fakeTarget("d");
    const moved = await route({
      strategy: { mode: "fallback", on_status_codes: [429, 503] },
      targets: [c.target(), d.target()],
    });
    expect(moved.answer).toBe("from d");
  });

  it("all targets failing: the last status, and a message that walks the trail", async () => {
    const a = fakeTarget("a", [{ status: 500, message: "a is down" }]);
    const b = fakeTarget("b", ["network"]);
    const c = fakeTarget("c", [{ status: 429, message: "slow down", headers: { "retry-after": "7" } }]);
    const r = await route({
      strategy: { mode: "fallback" },
      targets: [a.target(), b.target({ provider: "groq" }), c.target({ provider: "deepseek" })],
    });
    expect(r.status).toBe(429);
    expect(r.res.headers.get("retry-after")).toBe("7");
    expect(r.index).toBe("config.targets[2]");
    expect(r.error?.type).toBe("server_error");
    expect(r.error?.message).toBe(
      `all 3 targets failed: config.targets[0] (openai) 500 "a is down"; ` +
        `config.targets[1] (groq) 502 "upstream ${b.host} is unreachable"; config.targets[2] (deepseek) 429 "slow down"`,
    );
  });

  it("a single target keeps its own error (status, message, Retry-After)", async () => {
    const a = fakeTarget("a", [{ status: 503, message: "overloaded", headers: { "retry-after": "3" } }]);
    const r = await route(a.target());
    expect(r.status).toBe(503);
    expect(r.answer).toBe("overloaded");
    expect(r.index).toBe("config");
    expect(r.res.headers.get("retry-after")).toBe("3");
  });
});

describe("nesting and load balancing", () => {
  it("runs a loadbalance nested inside a fallback and names the leaf that answered", async () => {
    const a = fakeTarget("a", [{ status: 502 }]);
    const off = fakeTarget("off");
    const on = fakeTarget("on");
    const config = {
      strategy: { mode: "fallback" },
      targets: [
        a.target(),
        { strategy: { mode: "loadbalance" }, targets: [off.target({ weight: 0 }), on.target({ weight: 3 })] },
      ],
    };
    for (let i = 0; i < 4; i++) {
      const r = await route(config);
      expect(r.answer).toBe("from on");
      expect(r.index).toBe("config.targets[1].targets[1]");
    }
    expect(off.calls).toBe(0);
  });

  it("spreads load by weight", async () => {
    const heavy = fakeTarget("heavy");
    const light = fakeTarget("light");
    const config = {
      strategy: { mode: "loadbalance" },
      targets: [heavy.target({ weight: 9 }), light.target({ weight: 1 })],
    };
    for (let i = 0; i < 40; i++) await route(config);
    // P(heavy < 25 of 40 | p = 0.9) is below 1e-6: the exact distribution is unit-tested with a seeded random.
    expect(heavy.calls).toBeGreaterThanOrEqual(25);
    expect(heavy.calls + light.calls).toBe(40);
  });

  it("inherits override_params (child wins), retry and custom_host down the tree", async () => {
    const a = fakeTarget("a", [{ status: 503 }, { status: 200 }]);
    const config = {
      strategy: { mode: "single" },
      custom_host: `https://${a.host}/v1`,
      retry: { attempts: 1 },
      override_params: { temperature: 0.1, model: "parent-model" },
      targets: [
        {
          strategy: { mode: "single" },
          override_params: { max_tokens: 5 },
          targets: [{ provider: "openai", api_key: "sk-x", override_params: { model: "child-model" } }],
        },
      ],
    };
    const r = await route(config);
    expect(r.status).toBe(200);
    expect(r.index).toBe("config.targets[0].targets[0]");
    expect(r.retries).toBe("1");
    expect(a.bodies[1]).toMatchObject({ model: "child-model", temperature: 0.1, max_tokens: 5 });
  });

  it("re-validates the body after override_params and falls back when one target's overrides make it invalid", async () => {
    const a = fakeTarget("a");
    const b = fakeTarget("b");
    const r = await route({
      strategy: { mode: "fallback" },
      targets: [a.target({ override_params: { temperature: 9 } }), b.target()],
    });
    expect(r.answer).toBe("from b");
    expect(a.calls).toBe(0);

    const single = await route(a.target({ override_params: { temperature: 9 } }));
    expect(single.status).toBe(400);
    expect(single.error?.param).toBe("temperature");
  });

  it("lets override_params supply the model the client left out", async () => {
    const a = fakeTarget("a");
    const r = await route(
      a.target({ override_params: { model: "from-config" } }),
      {},
      { messages: [{ role: "user", content: "Hi" }] },
    );
    expect(r.status).toBe(200);
    expect(a.bodies[0]?.model).toBe("from-config");
  });
});

describe("fallback and open circuits", { timeout: 30_000 }, () => {
  it("a target behind an open circuit is the last resort: when the healthy one fails, it answers", async () => {
    const recovering = fakeTarget("recovering", [{ status: 500 }]);
    const backup = fakeTarget("backup");
    const cb_config = { failure_threshold: 1, cooldown_ms: 60_000 };
    // Open the circuit of `recovering` (one failure), and wait until the isolate knows: it is no longer called.
    const opener = { strategy: { mode: "fallback", cb_config }, targets: [recovering.target(), backup.target()] };
    await route(opener);
    await vi.waitFor(
      async () => {
        const before = recovering.calls;
        expect((await route(opener)).index).toBe("config.targets[1]");
        expect(recovering.calls).toBe(before);
      },
      { timeout: 5_000, interval: 20 },
    );

    // The circuit is still open when the target recovers; a fallback whose healthy first target fails tries it.
    recovering.script([{ status: 200 }]);
    const failing = fakeTarget("failing", [{ status: 500, message: "failing is down" }]);
    const trace = uniqueTrace("last-resort");
    const config = { strategy: { mode: "fallback", cb_config }, targets: [failing.target(), recovering.target()] };
    const before = recovering.calls;
    const r = await route(config, { "x-portkey-trace-id": trace });
    expect(r.status).toBe(200);
    expect(r.answer).toBe("from recovering");
    expect(r.index).toBe("config.targets[1]");
    expect(r.retries).toBe("0");
    expect([failing.calls, recovering.calls - before]).toEqual([1, 1]);

    // The logged trail tells it as it happened: the failure, the skip of the open circuit, then the real try.
    const row = await loggedRow(trace);
    expect(JSON.parse(row.attempts)).toMatchObject([
      { target: "config.targets[0]", status: 500, skipped: null },
      { target: "config.targets[1]", status: null, skipped: "circuit_open" },
      { target: "config.targets[1]", status: 200, skipped: null },
    ]);
  });
});
