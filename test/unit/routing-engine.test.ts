import { describe, expect, it } from "vitest";
import { configSchema } from "../../schema/config";
import { GatewayError } from "../../src/errors";
import type { ResolvedLeaf } from "../../src/pipeline/target";
import type { BreakerView } from "../../src/routing/breaker/client";
import type { BreakerPhase } from "../../src/routing/breaker/state";
import { Engine, type EngineDeps } from "../../src/routing/engine";
import { buildPlan, type PlanNode } from "../../src/routing/inherit";
import { seededRandom } from "../../src/routing/select";
import { RoutingStop } from "../../src/routing/trail";

type Script = Record<string, (number | "network" | { status: number; retryAfter: string })[]>;

/** The engine against a scripted world: a fake clock that sleeps instantly, scripted targets, a fake breaker. */
function harness(config: unknown, script: Script, options: { deadlineMs?: number; open?: string[]; latencyMs?: number } = {}) {
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
            routed: { target: { provider: node.leaf.node.provider ?? "openai" }, overrideParams: node.leaf.settings.overrideParams },
            ...(node.leaf.settings.retry ? { retry: node.leaf.settings.retry } : {}),
            breaker: { key: node.path, settings: node.leaf.settings.breaker },
          },
        }
      : { ...node, children: node.children.map(toLeaves) };
  const breaker: BreakerView = {
    phase: (key): BreakerPhase => (options.open?.includes(key) ? "open" : "closed"),
    report: (key, _settings, success) => void reports.push([key, success]),
  };
  const deps: EngineDeps = {
    async attempt(leaf, timeoutMs) {
      calls.push(leaf.path);
      clock += options.latencyMs ?? 10;
      const replies = script[leaf.path] ?? [200];
      const reply = replies[Math.min(calls.filter((p) => p === leaf.path).length - 1, replies.length - 1)] ?? 200;
      if (reply === "network") throw new GatewayError(502, "unreachable", { code: "upstream_unreachable" });
      if (typeof reply === "object") throw new GatewayError(429, "limited", { headers: { "retry-after": reply.retryAfter } });
      if (reply !== 200) throw new GatewayError(reply as 500, `failed ${reply} (timeout ${timeoutMs})`);
      return new Response("ok");
    },
    modelOf: (leaf) => (typeof leaf.routed.overrideParams?.model === "string" ? leaf.routed.overrideParams.model : undefined),
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
  targets: [{ provider: "anthropic", override_params: { model: "claude" } }, { provider: "openai", override_params: { model: "gpt" } }],
});

describe("engine", () => {
  it("keeps the full trail: path, provider, model, retry, status, latency, error", async () => {
    const { engine, tree } = harness(two({ retry: { attempts: 1 } }), { "config.targets[0]": [500, 503] }, { latencyMs: 25 });
    const result = await engine.run(tree);
    expect(result).toMatchObject({ path: "config.targets[1]", retries: 0 });
    expect(engine.trail).toEqual([
      { target: "config.targets[0]", provider: "anthropic", model: "claude", retry: 0, status: 500, latencyMs: 25, error: "failed 500 (timeout 600000)" },
      { target: "config.targets[0]", provider: "anthropic", model: "claude", retry: 1, status: 503, latencyMs: 25, error: expect.stringMatching(/^failed 503/) },
      { target: "config.targets[1]", provider: "openai", model: "gpt", retry: 0, status: 200, latencyMs: 25 },
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

  it("does not count the caller's errors against a target", async () => {
    const { engine, tree, reports } = harness(two(), { "config.targets[0]": [400] });
    await engine.run(tree);
    expect(reports[0]).toEqual(["config.targets[1]", true]);
  });

  it("skips targets behind an open circuit, and records why", async () => {
    const { engine, tree, calls } = harness(two(), {}, { open: ["config.targets[0]"] });
    expect((await engine.run(tree)).path).toBe("config.targets[1]");
    expect(calls).toEqual(["config.targets[1]"]);
    expect(engine.trail[0]).toEqual({ target: "config.targets[0]", provider: "anthropic", retry: 0, latencyMs: 0, skipped: "circuit_open" });
  });

  it("clips each attempt's timeout to the remaining deadline", async () => {
    const { engine, tree } = harness(two({ request_timeout: 50_000 }), { "config.targets[0]": [500], "config.targets[1]": [500] }, { deadlineMs: 30_000 });
    await expect(engine.run(tree)).rejects.toThrow("failed 500 (timeout 29990)");
  });

  it("moves on rather than sleeping past the deadline, and skips what the deadline leaves no room for", async () => {
    const config = two({ retry: { attempts: 5, use_retry_after_header: true } });
    const { engine, tree, sleeps, calls } = harness(config, { "config.targets[0]": [{ status: 429, retryAfter: "100" }] }, { deadlineMs: 60_000 });
    expect((await engine.run(tree)).path).toBe("config.targets[1]");
    expect(sleeps).toEqual([]);
    expect(calls).toEqual(["config.targets[0]", "config.targets[1]"]);

    const late = harness(two(), { "config.targets[0]": [500] }, { deadlineMs: 5, latencyMs: 10 });
    await expect(late.engine.run(late.tree)).rejects.toMatchObject({ status: 500 });
    expect(late.engine.trail.map((r) => r.skipped ?? r.status)).toEqual([500, "deadline"]);
  });

  it("sleeps the jittered backoff between retries", async () => {
    const { engine, tree, sleeps } = harness({ provider: "openai", retry: { attempts: 3 } }, { config: [500, 500, 200] });
    expect(await engine.run(tree)).toMatchObject({ path: "config", retries: 2 });
    expect(sleeps).toHaveLength(2);
    expect(sleeps[0]).toBeLessThan(250);
    expect(sleeps[1]).toBeLessThan(500);
  });

  it("stops at once when a conditional has nothing to route to", async () => {
    const config = {
      strategy: { mode: "fallback" },
      targets: [
        { strategy: { mode: "conditional", conditions: [{ query: { "metadata.plan": "free" }, then: "a" }] }, targets: [{ provider: "openai", name: "a" }] },
        { provider: "openai" },
      ],
    };
    const { engine, tree, calls } = harness(config, {});
    await expect(engine.run(tree)).rejects.toBeInstanceOf(RoutingStop);
    expect(calls).toEqual([]);
  });
});
