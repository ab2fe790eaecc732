import { describe, expect, it } from "vitest";
import { configSchema } from "../../schema/config";
import { markServedFromCache } from "../../src/routing/served";
import { GatewayError } from "../../src/errors";
import type { RoutedLeaf as ResolvedLeaf } from "../../src/routing/targets";
import type { BreakerView } from "../../src/routing/breaker/client";
import type { BreakerPhase } from "../../src/routing/breaker/state";
import { Engine, type EngineDeps } from "../../src/routing/engine";
import { buildPlan, type PlanNode } from "../../src/routing/inherit";
import { seededRandom } from "../../src/routing/select";
import { RoutingStop, summariseFailure } from "../../src/routing/trail";

/** Per target, the reply of each try: a status, a network error, a 429 with Retry-After, or a cache hit. */
type Script = Record<string, (number | "network" | "cached" | { status: number; retryAfter: string })[]>;

/** The engine against a scripted world: a fake clock that sleeps instantly, scripted targets, a fake breaker. */
interface HarnessOptions {
  deadlineMs?: number;
  open?: string[];
  halfOpen?: string[];
  latencyMs?: number;
}

function harness(config: unknown, script: Script, options: HarnessOptions = {}) {
  let clock = 0;
  const calls: string[] = [];
  const reports: [string, boolean][] = [];
  const sleeps: number[] = [];
  const plan = buildPlan(configSchema.parse(config));
  const toLeaves = (node: typeof plan): PlanNode<ResolvedLeaf> =>
    node.kind === "leaf"
      ? {
          ...node,
          leaf: {
            path: node.path,
            provider: node.leaf.node.provider ?? "openai",
            routed: {
              target: { provider: node.leaf.node.provider ?? "openai" },
              overrideParams: node.leaf.settings.overrideParams,
            },
            ...(node.leaf.settings.retry ? { retry: node.leaf.settings.retry } : {}),
            breaker: { key: node.path, settings: node.leaf.settings.breaker },
          },
        }
      : { ...node, children: node.children.map(toLeaves) };
  const breaker: BreakerView = {
    phase: (key): BreakerPhase =>
      options.open?.includes(key) ? "open" : options.halfOpen?.includes(key) ? "half_open" : "closed",
    report: (key, _settings, success) => void reports.push([key, success]),
  };
  const deps: EngineDeps = {
    async attempt(leaf, timeoutMs) {
      calls.push(leaf.path);
      clock += options.latencyMs ?? 10;
      const replies = script[leaf.path] ?? [200];
      const reply = replies[Math.min(calls.filter((p) => p === leaf.path).length - 1, replies.length - 1)] ?? 200;
      // What src/cache answers on a HIT: a response marked as served from cache.
      if (reply === "cached") return markServedFromCache(new Response("from cache"));
      if (reply === "network") throw new GatewayError(502, "unreachable", { code: "upstream_unreachable" });
      if (typeof reply === "object")
        throw new GatewayError(429, "limited", { headers: { "retry-after": reply.retryAfter } });
      if (reply !== 200) throw new GatewayError(reply as 500, `failed ${reply} (timeout ${timeoutMs})`);
      return new Response("ok");
    },
    modelOf: (leaf) =>
      typeof leaf.routed.overrideParams?.model === "string" ? leaf.routed.overrideParams.model : undefined,
    breaker,
    conditionInput: { metadata: { plan: "paid" }, params: { model: "m" } },
    now: () => clock,
    deadlineAt: options.deadlineMs ?? 600_000,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
    random: seededRandom(1),
  };
  const engine = new Engine(deps);
  return { engine, tree: toLeaves(plan), calls, reports, sleeps };
}

const two = (extra: Record<string, unknown> = {}) => ({
  strategy: { mode: "fallback" },
  ...extra,
  targets: [
    { provider: "anthropic", override_params: { model: "claude" } },
    { provider: "openai", override_params: { model: "gpt" } },
  ],
});

describe("engine", () => {
  it("keeps the full trail: path, provider, model, retry, status, latency, error", async () => {
    const { engine, tree, sleeps } = harness(
      two({ retry: { attempts: 1 } }),
      { "config.targets[0]": [500, 503] },
      { latencyMs: 25 },
    );
    const result = await engine.run(tree);
    expect(result).toMatchObject({ path: "config.targets[1]", retries: 0 });
    const backoff = sleeps[0] ?? 0;
    expect(engine.trail).toEqual([
      {
        target: "config.targets[0]",
        provider: "anthropic",
        model: "claude",
        retry: 0,
        status: 500,
        latencyMs: 25,
        startedAt: 0,
        error: "failed 500 (timeout 600000)",
      },
      {
        target: "config.targets[0]",
        provider: "anthropic",
        model: "claude",
        retry: 1,
        status: 503,
        latencyMs: 25,
        startedAt: 25 + backoff,
        error: expect.stringMatching(/^failed 503/),
      },
      {
        target: "config.targets[1]",
        provider: "openai",
        model: "gpt",
        retry: 0,
        status: 200,
        latencyMs: 25,
        startedAt: 50 + backoff,
      },
    ]);
  });

  it("reports failures and (when it matters) successes to the breaker", async () => {
    const { engine, tree, reports } = harness(two(), { "config.targets[0]": [500] });
    await engine.run(tree);
    expect(reports).toEqual([
      ["config.targets[0]", false],
      ["config.targets[1]", true],
    ]);
  });

  it("records when each try started, on the clock of the request's start; skipped targets have no start", async () => {
    const config = {
      strategy: { mode: "fallback" },
      targets: [{ provider: "openai", retry: { attempts: 2 } }, { provider: "anthropic" }, { provider: "openai" }],
    };
    const { engine, tree, sleeps } = harness(
      config,
      { "config.targets[0]": [500, 500, 500] },
      { latencyMs: 7, open: ["config.targets[1]"] },
    );
    await engine.run(tree);
    const [first = 0, second = 0] = sleeps;
    expect(engine.trail.map((r) => [r.target, r.startedAt])).toEqual([
      ["config.targets[0]", 0],
      ["config.targets[0]", 7 + first],
      ["config.targets[0]", 14 + first + second],
      ["config.targets[1]", undefined],
      ["config.targets[2]", 21 + first + second],
    ]);
  });

  it("keeps a cache hit away from the breaker: a half-open target stays half-open, and the trail says cached", async () => {
    const { engine, tree, reports, calls } = harness(
      two(),
      { "config.targets[0]": ["cached"] },
      { halfOpen: ["config.targets[0]"] },
    );
    expect(await engine.run(tree)).toMatchObject({ path: "config.targets[0]", retries: 0 });
    expect(calls).toEqual(["config.targets[0]"]);
    expect(reports).toEqual([]);
    expect(engine.trail).toEqual([
      {
        target: "config.targets[0]",
        provider: "anthropic",
        model: "claude",
        retry: 0,
        status: 200,
        latencyMs: 10,
        startedAt: 0,
        cached: true,
      },
    ]);

    // The same target answering from the provider is a real probe: that success is reported.
    const probed = harness(two(), { "config.targets[0]": [200] }, { halfOpen: ["config.targets[0]"] });
    await probed.engine.run(probed.tree);
    expect(probed.reports).toEqual([["config.targets[0]", true]]);
    expect(probed.engine.trail[0]).not.toHaveProperty("cached");
  });

  it("does not count the caller's errors against a target", async () => {
    const { engine, tree, reports } = harness(two(), { "config.targets[0]": [400] });
    await engine.run(tree);
    expect(reports[0]).toEqual(["config.targets[1]", true]);
  });

  it("skips targets behind an open circuit, and records why", async () => {
    const { engine, tree, calls } = harness(two(), {}, { open: ["config.targets[0]"] });
    expect((await engine.run(tree)).path).toBe("config.targets[1]");
    expect(calls).toEqual(["config.targets[1]"]);
    expect(engine.trail[0]).toEqual({
      target: "config.targets[0]",
      provider: "anthropic",
      retry: 0,
      latencyMs: 0,
      skipped: "circuit_open",
    });
  });

  it("clips each attempt's timeout to the remaining deadline", async () => {
    const { engine, tree } = harness(
      two({ request_timeout: 50_000 }),
      { "config.targets[0]": [500], "config.targets[1]": [500] },
      { deadlineMs: 30_000 },
    );
    await expect(engine.run(tree)).rejects.toThrow("failed 500 (timeout 29990)");
  });

  it("moves on rather than sleeping past the deadline, and skips what the deadline leaves no room for", async () => {
    const config = two({ retry: { attempts: 5, use_retry_after_header: true } });
    const { engine, tree, sleeps, calls } = harness(
      config,
      { "config.targets[0]": [{ status: 429, retryAfter: "100" }] },
      { deadlineMs: 60_000 },
    );
    expect((await engine.run(tree)).path).toBe("config.targets[1]");
    expect(sleeps).toEqual([]);
    expect(calls).toEqual(["config.targets[0]", "config.targets[1]"]);

    const late = harness(two(), { "config.targets[0]": [500] }, { deadlineMs: 5, latencyMs: 10 });
    await expect(late.engine.run(late.tree)).rejects.toMatchObject({ status: 500 });
    expect(late.engine.trail.map((r) => r.skipped ?? r.status)).toEqual([500, "deadline"]);
  });

  it("sleeps the jittered backoff between retries", async () => {
    const { engine, tree, sleeps } = harness(
      { provider: "openai", retry: { attempts: 3 } },
      { config: [500, 500, 200] },
    );
    expect(await engine.run(tree)).toMatchObject({ path: "config", retries: 2 });
    expect(sleeps).toHaveLength(2);
    expect(sleeps[0]).toBeLessThan(250);
    expect(sleeps[1]).toBeLessThan(500);
  });

  it("stops at once when a conditional has nothing to route to", async () => {
    const config = {
      strategy: { mode: "fallback" },
      targets: [
        {
          strategy: { mode: "conditional", conditions: [{ query: { "metadata.plan": "free" }, then: "a" }] },
          targets: [{ provider: "openai", name: "a" }],
        },
        { provider: "openai" },
      ],
    };
    const { engine, tree, calls } = harness(config, {});
    await expect(engine.run(tree)).rejects.toBeInstanceOf(RoutingStop);
    expect(calls).toEqual([]);
  });
});

describe("engine: open circuits are a last resort, never a refusal", () => {
  const fallback = (targets: unknown[], strategy: Record<string, unknown> = {}) => ({
    strategy: { mode: "fallback", ...strategy },
    targets,
  });
  const openai = { provider: "openai" };

  it("tries an open-circuit target once every healthy one failed, and the trail shows the skip and the real try", async () => {
    const { engine, tree, calls, reports } = harness(
      two(),
      { "config.targets[0]": [500] },
      { open: ["config.targets[1]"] },
    );
    expect(await engine.run(tree)).toMatchObject({ path: "config.targets[1]", retries: 0 });
    expect(calls).toEqual(["config.targets[0]", "config.targets[1]"]);
    expect(engine.trail).toEqual([
      {
        target: "config.targets[0]",
        provider: "anthropic",
        model: "claude",
        retry: 0,
        status: 500,
        latencyMs: 10,
        startedAt: 0,
        error: "failed 500 (timeout 600000)",
      },
      { target: "config.targets[1]", provider: "openai", retry: 0, latencyMs: 0, skipped: "circuit_open" },
      {
        target: "config.targets[1]",
        provider: "openai",
        model: "gpt",
        retry: 0,
        status: 200,
        latencyMs: 10,
        startedAt: 10,
      },
    ]);
    // The last-resort try is a real one: its outcome reaches the breaker like any other.
    expect(reports).toEqual([
      ["config.targets[0]", false],
      ["config.targets[1]", true],
    ]);
  });

  it("tries every healthy target first, then the open ones in config order; the last error is the answer", async () => {
    const config = fallback([openai, openai, openai, openai]);
    const script = { "config.targets[1]": [500], "config.targets[2]": [502], "config.targets[3]": [503] };
    const { engine, tree, calls } = harness(
      config,
      { ...script, "config.targets[0]": [504] },
      { open: ["config.targets[0]", "config.targets[2]"] },
    );
    await expect(engine.run(tree)).rejects.toMatchObject({ status: 502 });
    expect(calls).toEqual(["config.targets[1]", "config.targets[3]", "config.targets[0]", "config.targets[2]"]);
    expect(engine.trail.map((r) => [r.target, r.skipped ?? r.status])).toEqual([
      ["config.targets[0]", "circuit_open"],
      ["config.targets[1]", 500],
      ["config.targets[2]", "circuit_open"],
      ["config.targets[3]", 503],
      ["config.targets[0]", 504],
      ["config.targets[2]", 502],
    ]);
  });

  it("does not reach the open targets when a healthy one answers, nor when a status stops the fallback", async () => {
    const answered = harness(
      fallback([openai, openai, openai]),
      { "config.targets[1]": [500] },
      { open: ["config.targets[0]"] },
    );
    expect((await answered.engine.run(answered.tree)).path).toBe("config.targets[2]");
    expect(answered.calls).toEqual(["config.targets[1]", "config.targets[2]"]);

    // on_status_codes excludes 400: the fallback stops there, as it would with no breaker at all.
    const stopped = harness(
      fallback([openai, openai], { on_status_codes: [503] }),
      { "config.targets[1]": [400] },
      { open: ["config.targets[0]"] },
    );
    await expect(stopped.engine.run(stopped.tree)).rejects.toMatchObject({ status: 400 });
    expect(stopped.calls).toEqual(["config.targets[1]"]);
  });

  it("leaves no time to open targets once the deadline passed", async () => {
    const late = harness(
      two(),
      { "config.targets[0]": [500] },
      { deadlineMs: 5, latencyMs: 10, open: ["config.targets[1]"] },
    );
    await expect(late.engine.run(late.tree)).rejects.toMatchObject({ status: 500 });
    expect(late.calls).toEqual(["config.targets[0]"]);
    expect(late.engine.trail.map((r) => r.skipped ?? r.status)).toEqual([500, "circuit_open", "deadline"]);
  });

  it("nested: each fallback settles its own open targets before its parent moves on", async () => {
    const config = fallback([fallback([openai, openai]), openai]);
    const { engine, tree, calls } = harness(
      config,
      { "config.targets[0].targets[0]": [500] },
      { open: ["config.targets[0].targets[1]"] },
    );
    expect((await engine.run(tree)).path).toBe("config.targets[0].targets[1]");
    expect(calls).toEqual(["config.targets[0].targets[0]", "config.targets[0].targets[1]"]);

    // A whole subtree behind open circuits is passed over, then tried (its own targets in order) as a last resort.
    const down = harness(
      config,
      { "config.targets[1]": [500], "config.targets[0].targets[0]": [503] },
      {
        open: ["config.targets[0].targets[0]", "config.targets[0].targets[1]"],
      },
    );
    expect((await down.engine.run(down.tree)).path).toBe("config.targets[0].targets[1]");
    expect(down.calls).toEqual(["config.targets[1]", "config.targets[0].targets[0]", "config.targets[0].targets[1]"]);
  });

  it("loadbalance under a fallback: its pick is its only try; the fallback's open target is the last resort", async () => {
    const config = fallback([{ strategy: { mode: "loadbalance" }, targets: [openai, openai] }, openai]);
    const open = ["config.targets[0].targets[0]", "config.targets[1]"];
    const { engine, tree, calls } = harness(config, { "config.targets[0].targets[1]": [500] }, { open });
    expect((await engine.run(tree)).path).toBe("config.targets[1]");
    // The pick steered around the open sibling; a failed pick does not try its siblings (Portkey's rule).
    expect(calls).toEqual(["config.targets[0].targets[1]", "config.targets[1]"]);
  });

  it("health follows what a node would route to: a conditional's choice, loadbalance's weighted targets", async () => {
    const conditional = {
      strategy: {
        mode: "conditional",
        conditions: [{ query: { "metadata.plan": "paid" }, then: "paid" }],
        default: "free",
      },
      targets: [
        { ...openai, name: "paid" },
        { ...openai, name: "free" },
      ],
    };
    // The chosen target is open (the other one is healthy but never chosen): the conditional waits its turn.
    const chosenOpen = harness(fallback([conditional, openai]), {}, { open: ["config.targets[0].targets[0]"] });
    expect((await chosenOpen.engine.run(chosenOpen.tree)).path).toBe("config.targets[1]");
    expect(chosenOpen.engine.trail[0]).toEqual({
      target: "config.targets[0].targets[0]",
      provider: "openai",
      retry: 0,
      latencyMs: 0,
      skipped: "circuit_open",
    });
    expect(chosenOpen.engine.trail).toHaveLength(2); // the target the conditional would not choose is not in the trail

    const otherOpen = harness(fallback([conditional, openai]), {}, { open: ["config.targets[0].targets[1]"] });
    expect((await otherOpen.engine.run(otherOpen.tree)).path).toBe("config.targets[0].targets[0]");

    // A weight-0 target is never picked, so its health does not make its loadbalance look healthy.
    const balanced = { strategy: { mode: "loadbalance" }, targets: [{ ...openai, weight: 0 }, openai] };
    const weightless = harness(fallback([balanced, openai]), {}, { open: ["config.targets[0].targets[1]"] });
    expect((await weightless.engine.run(weightless.tree)).path).toBe("config.targets[1]");
  });

  it("the failure summary lists each target once, where its last try happened", async () => {
    const { engine, tree } = harness(
      two(),
      { "config.targets[0]": [500], "config.targets[1]": [503] },
      { open: ["config.targets[0]"] },
    );
    const error = await engine.run(tree).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    const summary = summariseFailure(engine.trail, error as GatewayError, {});
    expect(summary.status).toBe(500);
    expect(summary.message).toBe(
      'all 2 targets failed: config.targets[1] (openai) 503 "failed 503 (timeout 600000)"; config.targets[0] (anthropic) 500 "failed 500 (timeout 599990)"',
    );
  });
});
