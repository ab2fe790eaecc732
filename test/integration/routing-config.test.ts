import { describe, expect, it } from "vitest";
import { PROVIDER_IDS } from "../../schema/provider-ids";
import { createConfig, uniqueSlug } from "./admin-helpers";
import { gateway, useFakeUpstreams } from "./harness";
import { chat, expectConfigError, fakeTarget, route } from "./routing-upstreams";

useFakeUpstreams();

const ok = { provider: "openai", api_key: "sk-1" };
const fallback = (...targets: unknown[]) => ({ strategy: { mode: "fallback" }, targets });

describe("invalid configs: 400 naming the path", () => {
  const cases: [string, unknown, string][] = [
    ["negative weight", fallback(ok, { ...ok, weight: -1 }), "config.targets[1].weight: expected a number >= 0"],
    [
      "unknown mode",
      { strategy: { mode: "roundrobin" }, targets: [ok] },
      'config.strategy.mode: expected one of "single", "fallback", "loadbalance", "conditional"',
    ],
    ["too many retries", { ...ok, retry: { attempts: 9 } }, "config.retry.attempts: expected a number <= 5"],
    [
      "fractional retries",
      { ...ok, retry: { attempts: 1.5 } },
      "config.retry.attempts: expected an integer, got a fraction",
    ],
    ["retry without attempts", { ...ok, retry: {} }, "config.retry.attempts: is required"],
    ["empty targets", { strategy: { mode: "fallback" }, targets: [] }, "config.targets: expected at least 1 item"],
    ["unknown field", fallback({ ...ok, wieght: 2 }), "config.targets[0].wieght: unknown field"],
    ["strategy without targets", { strategy: { mode: "fallback" } }, "config.targets: required when strategy is set"],
    [
      "targets without strategy",
      { targets: [ok] },
      "config.strategy: required when targets are set (mode: single, fallback, loadbalance or conditional)",
    ],
    [
      "provider next to targets",
      { ...fallback(ok), provider: "openai" },
      "config.provider: not allowed next to targets: set it on each target",
    ],
    [
      "timeout as a string",
      { ...ok, request_timeout: "10s" },
      "config.request_timeout: expected a number, got a string",
    ],
    ["zero timeout", { ...ok, request_timeout: 0 }, "config.request_timeout: expected a number > 0"],
    [
      "bad status code",
      { strategy: { mode: "fallback", on_status_codes: [700] }, targets: [ok] },
      "config.strategy.on_status_codes[0]: expected a number <= 599",
    ],
    [
      "on_status_codes outside fallback",
      { strategy: { mode: "loadbalance", on_status_codes: [500] }, targets: [ok] },
      "config.strategy.on_status_codes: only allowed when strategy.mode is fallback",
    ],
    [
      "cb_config threshold",
      { strategy: { mode: "fallback", cb_config: { failure_threshold: 0 } }, targets: [ok] },
      "config.strategy.cb_config.failure_threshold: expected a number >= 1",
    ],
    [
      "all weights zero",
      { strategy: { mode: "loadbalance" }, targets: [{ ...ok, weight: 0 }] },
      "config.targets: loadbalance needs at least one target with weight > 0",
    ],
    ["an array", [ok], "config: expected an object, got an array"],
    ["bad cache mode", { ...ok, cache: { mode: "always" } }, 'config.cache.mode: expected one of "simple", "semantic"'],
    ["empty api_key", { ...ok, api_key: "" }, "config.api_key: must not be empty"],
    [
      "hooks not a list",
      { ...ok, input_guardrails: "pii" },
      "config.input_guardrails: expected an array, got a string",
    ],
  ];
  for (const [name, config, message] of cases) it(name, () => expectConfigError(config, message));

  it("an unknown provider deep in the tree", () =>
    expectConfigError(
      fallback(ok, fallback(ok, { provider: "nope" })),
      `config.targets[1].targets[1].provider: unknown provider "nope"; valid providers: ${PROVIDER_IDS.join(", ")}`,
    ));

  const conditional = (conditions: unknown, extra: Record<string, unknown> = {}) => ({
    strategy: { mode: "conditional", conditions, ...extra },
    targets: [
      { ...ok, name: "a" },
      { ...ok, name: "b" },
    ],
  });
  const conditionCases: [string, unknown, string][] = [
    [
      "then names no target",
      conditional([{ query: { "metadata.x": "1" }, then: "c" }]),
      'config.strategy.conditions[0].then: no target named "c" in targets',
    ],
    [
      "default names no target",
      conditional([{ query: { "metadata.x": "1" }, then: "a" }], { default: "z" }),
      'config.strategy.default: no target named "z" in targets',
    ],
    [
      "conditional without conditions",
      { strategy: { mode: "conditional" }, targets: [ok] },
      "config.strategy.conditions: required when strategy.mode is conditional",
    ],
    [
      "unknown operator",
      conditional([{ query: { "metadata.plan": { $like: "p%" } }, then: "a" }]),
      'config.strategy.conditions[0].query["metadata.plan"].$like: unknown operator; expected one of $eq, $ne, $gt, $gte, $lt, $lte, $in, $nin, $regex',
    ],
    [
      "unknown field root",
      conditional([{ query: { "user.plan": "paid" }, then: "a" }]),
      'config.strategy.conditions[0].query["user.plan"]: unknown field: conditions read metadata.<key> or params.<path>',
    ],
    [
      "$in without a list",
      conditional([{ query: { "metadata.plan": { $in: "paid" } }, then: "a" }]),
      'config.strategy.conditions[0].query["metadata.plan"].$in: expected an array of strings, numbers, booleans or null',
    ],
    [
      "$or not a list",
      conditional([{ query: { $or: { "metadata.a": "1" } }, then: "a" }]),
      "config.strategy.conditions[0].query.$or: expected a non-empty array of queries",
    ],
    [
      "a backreference",
      conditional([{ query: { "params.model": { $regex: "(a)\\1" } }, then: "a" }]),
      'config.strategy.conditions[0].query["params.model"].$regex: unsafe or unsupported pattern: backreferences are not supported',
    ],
    [
      "a lookahead",
      conditional([{ query: { "params.model": { $regex: "gpt(?=-4)" } }, then: "a" }]),
      'config.strategy.conditions[0].query["params.model"].$regex: unsafe or unsupported pattern: lookahead and lookbehind are not supported',
    ],
    [
      "a huge pattern",
      conditional([{ query: { "params.model": { $regex: "a".repeat(300) } }, then: "a" }]),
      'config.strategy.conditions[0].query["params.model"].$regex: unsafe or unsupported pattern: pattern is longer than 256 characters',
    ],
    [
      "duplicate names",
      {
        strategy: { mode: "conditional", conditions: [{ query: { "metadata.a": "1" }, then: "a" }] },
        targets: [
          { ...ok, name: "a" },
          { ...ok, name: "a" },
        ],
      },
      'config.targets[1].name: duplicate target name "a"',
    ],
  ];
  for (const [name, config, message] of conditionCases) it(name, () => expectConfigError(config, message));

  it("virtual keys: need a gateway key (test/integration/governance-* cover their use)", async () => {
    const r = await route(fallback(ok, { virtual_key: "anthropic-prod" }));
    expect(r.status).toBe(401);
    expect(r.error).toMatchObject({ code: "missing_api_key", param: "x-portkey-config" });
    expect(r.answer).toMatch(/^config\.targets\[1\]\.virtual_key: /);
  });

  it("a refused custom_host names the target", async () => {
    const r = await route(fallback(ok, { ...ok, custom_host: "http://169.254.169.254/v1" }));
    expect(r.status).toBe(400);
    expect(r.error).toMatchObject({ code: "custom_host_not_allowed", param: "custom_host" });
    expect(r.answer).toMatch(/^config\.targets\[1\]\.custom_host: custom_host refused: /);
  });

  it("a target without a provider and no x-portkey-provider", async () => {
    const r = await route(fallback(ok, { api_key: "k" }));
    expect(r.status).toBe(400);
    expect(r.error?.param).toBe("x-portkey-provider");
    expect(r.answer).toBe("no provider for config.targets[1]: set provider on it, or set x-portkey-provider");
  });
});

describe("config sources", () => {
  it("a saved config used by slug", async () => {
    const a = fakeTarget("a", [{ status: 500 }]);
    const b = fakeTarget("b");
    const slug = uniqueSlug("routing");
    await createConfig(slug, fallback(a.target(), b.target()));
    const res = await gateway({ headers: { "x-portkey-config": slug }, body: chat });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-portkey-last-used-option-index")).toBe("config.targets[1]");
    expect([a.calls, b.calls]).toEqual([1, 1]);
  });

  it("an unknown saved config: 400 config_not_found", async () => {
    const res = await gateway({ headers: { "x-portkey-config": "no-such-config" }, body: chat });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("config_not_found");
  });

  it("headers fill in what a single-target config leaves out (backwards compatible)", async () => {
    const a = fakeTarget("a");
    const res = await gateway({
      headers: {
        "x-portkey-config": JSON.stringify({ override_params: { temperature: 0.3 } }),
        "x-portkey-provider": "openai",
        authorization: "Bearer sk-header",
        "x-portkey-custom-host": `https://${a.host}/v1`,
      },
      body: chat,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-portkey-last-used-option-index")).toBe("config");
    expect(a.bodies[0]).toMatchObject({ temperature: 0.3 });
  });
});
