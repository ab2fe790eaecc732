import { describe, expect, it } from "vitest";
import { configSchema } from "../../schema/config";
import { DEFAULT_BREAKER_SETTINGS } from "../../src/routing/breaker/state";
import { buildPlan, leavesOf, type LeafSpec, type PlanNode } from "../../src/routing/inherit";

const plan = (config: unknown) => buildPlan(configSchema.parse(config));
const leaf = (node: PlanNode<LeafSpec>, path: string): LeafSpec => {
  const found = leavesOf(node).find((l) => l.path === path);
  if (!found) throw new Error(`no leaf at ${path}`);
  return found;
};

describe("inheritance", () => {
  const config = {
    strategy: { mode: "fallback", cb_config: { failure_threshold: 3 } },
    retry: { attempts: 2, on_status_codes: [429] },
    cache: { mode: "simple", max_age: 60 },
    request_timeout: 10_000,
    custom_host: "https://parent.allowed.test/v1",
    override_params: { model: "parent", temperature: 0.5 },
    input_guardrails: ["pii"],
    targets: [
      { provider: "openai", override_params: { model: "child" } },
      {
        strategy: { mode: "loadbalance", cb_config: { cooldown_ms: 1_000 } },
        retry: { attempts: 0 },
        request_timeout: 2_000,
        override_params: { top_p: 0.9 },
        input_guardrails: [],
        targets: [
          { provider: "groq", custom_host: "https://own.allowed.test/v1", weight: 3, cache: { mode: "semantic" } },
          { provider: "deepseek", override_params: { temperature: 1 } },
        ],
      },
    ],
  };

  it("passes retry, cache, request_timeout, custom_host and hooks down; a child's own value wins", () => {
    const tree = plan(config);
    const first = leaf(tree, "config.targets[0]").settings;
    expect(first.retry).toEqual({ attempts: 2, on_status_codes: [429] });
    expect(first.cache).toEqual({ mode: "simple", max_age: 60 });
    expect(first.requestTimeout).toBe(10_000);
    expect(first.customHost).toBe("https://parent.allowed.test/v1");
    expect(first.hooks).toEqual({ input_guardrails: ["pii"] });

    const nested = leaf(tree, "config.targets[1].targets[0]").settings;
    expect(nested.retry).toEqual({ attempts: 0 });
    expect(nested.cache).toEqual({ mode: "semantic" });
    expect(nested.requestTimeout).toBe(2_000);
    expect(nested.customHost).toBe("https://own.allowed.test/v1");
    expect(nested.hooks).toEqual({ input_guardrails: [] });
  });

  it("merges override_params shallowly from the root down, the deeper key winning", () => {
    const tree = plan(config);
    expect(leaf(tree, "config.targets[0]").settings.overrideParams).toEqual({ model: "child", temperature: 0.5 });
    expect(leaf(tree, "config.targets[1].targets[0]").settings.overrideParams).toEqual({
      model: "parent",
      temperature: 0.5,
      top_p: 0.9,
    });
    expect(leaf(tree, "config.targets[1].targets[1]").settings.overrideParams).toEqual({
      model: "parent",
      temperature: 1,
      top_p: 0.9,
    });
  });

  it("merges cb_config field by field over the defaults and the parent's", () => {
    const tree = plan(config);
    expect(leaf(tree, "config.targets[0]").settings.breaker).toEqual({
      ...DEFAULT_BREAKER_SETTINGS,
      failureThreshold: 3,
    });
    expect(leaf(tree, "config.targets[1].targets[1]").settings.breaker).toEqual({
      ...DEFAULT_BREAKER_SETTINGS,
      failureThreshold: 3,
      cooldownMs: 1_000,
    });
  });

  it("names paths, weights (default 1) and strategies", () => {
    const tree = plan(config);
    expect(tree.kind).toBe("group");
    if (tree.kind !== "group") return;
    const inner = tree.children[1];
    expect(inner?.path).toBe("config.targets[1]");
    expect(inner?.kind === "group" && inner.children.map((c) => [c.path, c.weight])).toEqual([
      ["config.targets[1].targets[0]", 3],
      ["config.targets[1].targets[1]", 1],
    ]);
    expect(leavesOf(tree).map((l) => l.path)).toEqual([
      "config.targets[0]",
      "config.targets[1].targets[0]",
      "config.targets[1].targets[1]",
    ]);
  });

  it("treats a config without targets as one leaf at `config`, and nothing at all as an empty leaf", () => {
    const single = plan({ provider: "openai", retry: { attempts: 1 } });
    expect(single.kind).toBe("leaf");
    expect(leaf(single, "config").settings.retry).toEqual({ attempts: 1 });
    const empty = buildPlan({});
    expect(empty).toMatchObject({ kind: "leaf", path: "config", weight: 1 });
    expect(leaf(empty, "config").settings).toEqual({
      overrideParams: {},
      hooks: {},
      breaker: DEFAULT_BREAKER_SETTINGS,
    });
  });
});
