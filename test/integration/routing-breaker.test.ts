import { describe, expect, it, vi } from "vitest";
import { useFakeUpstreams } from "./harness";
import { chat, fakeTarget, route } from "./routing-upstreams";

useFakeUpstreams();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("circuit breaker", () => {
  it("opens after failure_threshold failures, skips the target, then half-opens after the cooldown", async () => {
    const a = fakeTarget("flaky", [{ status: 500 }]);
    const b = fakeTarget("backup");
    // Generous enough that a slow, shared CI machine still observes the open phase before the cooldown ends.
    const cooldown = 3_000;
    const config = {
      strategy: { mode: "fallback", cb_config: { failure_threshold: 2, window_ms: 60_000, cooldown_ms: cooldown } },
      targets: [a.target(), b.target()],
    };

    // Two failures open the circuit. Outcomes reach the Durable Object in the background (waitUntil), so the
    // isolate learns about it a moment later: wait until a request no longer touches the failing target.
    for (let i = 0; i < 2; i++) expect((await route(config)).answer).toBe("from backup");
    await vi.waitFor(
      async () => {
        const before = a.calls;
        const r = await route(config);
        expect(r.answer).toBe("from backup");
        expect(a.calls).toBe(before);
      },
      { timeout: cooldown - 500, interval: 20 },
    );
    const openedBy = Date.now();
    const skipped = await route(config);
    expect(skipped.index).toBe("config.targets[1]");
    const callsWhileOpen = a.calls;

    // The target recovers; after the cooldown one request probes it (half-open) and its success closes the circuit.
    a.script([{ status: 200 }]);
    await sleep(Math.max(0, openedBy + cooldown + 100 - Date.now()));
    const probe = await route(config);
    expect(probe.answer).toBe("from flaky");
    expect(probe.index).toBe("config.targets[0]");
    expect(a.calls).toBe(callsWhileOpen + 1);
    await vi.waitFor(async () => expect((await route(config)).index).toBe("config.targets[0]"), {
      timeout: 2_000,
      interval: 20,
    });
  });

  it("a failed half-open probe opens the circuit again", async () => {
    const a = fakeTarget("down", [{ status: 503 }]);
    const b = fakeTarget("backup");
    const cooldown = 2_500;
    const config = {
      strategy: { mode: "fallback", cb_config: { failure_threshold: 1, cooldown_ms: cooldown } },
      targets: [a.target(), b.target()],
    };
    await route(config);
    await vi.waitFor(
      async () => {
        const before = a.calls;
        await route(config);
        expect(a.calls).toBe(before);
      },
      { timeout: cooldown - 500, interval: 20 },
    );
    await sleep(cooldown + 100);
    const beforeProbe = a.calls;
    const probe = await route(config);
    // The probe reached the target (half-open), failed, and the request still got its answer from the backup.
    expect(a.calls).toBe(beforeProbe + 1);
    expect(probe.answer).toBe("from backup");
    // Open again: once this isolate has seen the failed probe (its view refreshes in the background), requests stop
    // reaching the target. Measured per try, since a try before the refresh may still probe it.
    await vi.waitFor(
      async () => {
        const before = a.calls;
        await route(config);
        expect(a.calls).toBe(before);
      },
      { timeout: cooldown - 500, interval: 20 },
    );
  });

  it("loadbalance steers around an open circuit", async () => {
    const a = fakeTarget("a", [{ status: 500 }]);
    const b = fakeTarget("b");
    const config = {
      strategy: { mode: "loadbalance", cb_config: { failure_threshold: 1, cooldown_ms: 60_000 } },
      targets: [a.target(), b.target()],
    };
    // Until the weighted pick lands on the failing target once, its circuit cannot open.
    await vi.waitFor(
      async () => {
        await route(config);
        expect(a.calls).toBeGreaterThan(0);
      },
      { timeout: 5_000, interval: 0 },
    );
    // Once open, every request goes to the healthy target: 20 in a row by chance would be a 1-in-a-million event.
    await vi.waitFor(
      async () => {
        const before = a.calls;
        for (let i = 0; i < 20; i++) expect((await route(config)).answer).toBe("from b");
        expect(a.calls).toBe(before);
      },
      { timeout: 5_000, interval: 20 },
    );
  });

  it("keys circuits by the model sent: one model's failures leave another model on the same provider and key alone", async () => {
    const shared = fakeTarget("shared");
    // The same provider, host and key answer one model and fail the other (a model outage, a model-level quota).
    shared.script((call) => (shared.bodies[call]?.model === "model-a" ? { status: 503 } : { status: 200 }));
    const backup = fakeTarget("backup");
    const config = {
      strategy: { mode: "fallback", cb_config: { failure_threshold: 1, cooldown_ms: 60_000 } },
      targets: [shared.target(), backup.target()],
    };
    const ask = (model: string) => route(config, {}, { ...chat, model });

    // model-a's failure opens its circuit: once the isolate heard back, model-a requests stop reaching the target.
    expect((await ask("model-a")).answer).toBe("from backup");
    await vi.waitFor(
      async () => {
        const before = shared.calls;
        expect((await ask("model-a")).index).toBe("config.targets[1]");
        expect(shared.calls).toBe(before);
      },
      { timeout: 5_000, interval: 20 },
    );

    // model-b on the same provider + host + key has its own, closed circuit.
    const b = await ask("model-b");
    expect(b.status).toBe(200);
    expect(b.answer).toBe("from shared");
    expect(b.index).toBe("config.targets[0]");
    expect(shared.bodies.at(-1)?.model).toBe("model-b");

    // The model that counts is the one sent, after override_params: here model-a again, whatever the body says.
    const overridden = {
      ...config,
      targets: [shared.target({ override_params: { model: "model-a" } }), backup.target()],
    };
    const before = shared.calls;
    expect((await route(overridden, {}, { ...chat, model: "model-b" })).index).toBe("config.targets[1]");
    expect(shared.calls).toBe(before);
  });

  it("never turns a request away when every target's circuit is open", async () => {
    const a = fakeTarget("a", [{ status: 500 }]);
    const b = fakeTarget("b", [{ status: 500 }]);
    const config = {
      strategy: { mode: "fallback", cb_config: { failure_threshold: 1, cooldown_ms: 60_000 } },
      targets: [a.target(), b.target()],
    };
    await route(config);
    // Both circuits are open once the isolate has heard back; from then on both targets are still tried.
    await sleep(300);
    const beforeA = a.calls;
    const beforeB = b.calls;
    const r = await route(config);
    expect(r.status).toBe(500);
    expect(r.answer).toMatch(/^all 2 targets failed: /);
    expect([a.calls, b.calls]).toEqual([beforeA + 1, beforeB + 1]);
  });
});
