import { describe, expect, it } from "vitest";
import {
  configIssuePath,
  configSchema,
  formatConfigIssue,
  MAX_REGEX_PER_CONFIG,
  parseRoutingConfig,
  type RoutingConfig,
} from "../../schema/config";

const message = (json: unknown) => {
  const result = parseRoutingConfig(json);
  return result.success ? null : result.message;
};

describe("valid configs", () => {
  it("accepts the contract's example and Portkey-style configs", () => {
    const design = {
      strategy: { mode: "fallback", on_status_codes: [429, 500, 502, 503, 504] },
      retry: { attempts: 3, on_status_codes: [429, 503], use_retry_after_header: true },
      cache: { mode: "simple", max_age: 600 },
      request_timeout: 10_000,
      targets: [
        { virtual_key: "anthropic-prod", override_params: { model: "claude-sonnet-4-5" } },
        { provider: "openai", api_key: "sk-...", override_params: { model: "gpt-4o-mini" }, weight: 1 },
      ],
    };
    expect(parseRoutingConfig(design).success).toBe(true);
    const conditional = {
      strategy: {
        mode: "conditional",
        conditions: [{ query: { "metadata.plan": { $eq: "paid" } }, then: "smart" }],
        default: "cheap",
        cb_config: { failure_threshold: 3, window_ms: 30_000, cooldown_ms: 10_000 },
      },
      targets: [
        { name: "smart", provider: "anthropic", api_key: "k", before_request_hooks: [{ id: "x" }] },
        {
          name: "cheap",
          provider: "azure-openai",
          api_key: "k",
          azure_resource_name: "r",
          azure_deployment_id: "d",
          azure_api_version: "v",
        },
      ],
    };
    const parsed = configSchema.parse(conditional);
    const typed: RoutingConfig = parsed;
    expect(typed.strategy?.mode).toBe("conditional");
  });

  it("nests to any depth", () => {
    let config: Record<string, unknown> = { provider: "openai" };
    for (let i = 0; i < 60; i++) config = { strategy: { mode: i % 2 ? "fallback" : "loadbalance" }, targets: [config] };
    expect(parseRoutingConfig(config).success).toBe(true);
    let broken: Record<string, unknown> = { provider: "openai", weight: -1 };
    for (let i = 0; i < 3; i++) broken = { strategy: { mode: "fallback" }, targets: [{ provider: "openai" }, broken] };
    expect(message(broken)).toBe("config.targets[1].targets[1].targets[1].weight: expected a number >= 0");
  });
});

describe("messages", () => {
  it("reads like a sentence, never like zod's defaults", () => {
    expect(message({ provider: "openai", weight: "heavy" })).toBe("config.weight: expected a number, got a string");
    expect(message({ provider: "openai", retry: { attempts: -1 } })).toBe(
      "config.retry.attempts: expected a number >= 0",
    );
    expect(message({ provider: "openai", override_params: [] })).toBe(
      "config.override_params: expected an object, got an array",
    );
    expect(message({ provider: "openai", retry: { attempts: 1, use_retry_after_header: "yes" } })).toBe(
      "config.retry.use_retry_after_header: expected a boolean, got a string",
    );
    expect(message(null)).toBe("config: expected an object, got null");
  });

  it("points inside queries with bracketed field names", () => {
    const config = {
      strategy: {
        mode: "conditional",
        conditions: [{ query: { $or: [{ "params.max_tokens": { $gt: [1] } }] }, then: "a" }],
      },
      targets: [{ provider: "openai", name: "a" }],
    };
    expect(message(config)).toBe(
      'config.strategy.conditions[0].query.$or[0]["params.max_tokens"].$gt: expected a number or a string',
    );
  });

  it("refuses empty queries and operator objects, deep nesting, and too many $regex", () => {
    const wrap = (query: unknown) => ({
      strategy: { mode: "conditional", conditions: [{ query, then: "a" }] },
      targets: [{ provider: "openai", name: "a" }],
    });
    expect(message(wrap({}))).toBe(
      "config.strategy.conditions[0].query: expected at least one field (metadata.* or params.*) or $and/$or",
    );
    expect(message(wrap({ "metadata.a": {} }))).toMatch(/query\["metadata\.a"\]: expected at least one operator/);
    expect(message(wrap({ "metadata.a": ["x"] }))).toMatch(
      /expected a value or an operator object \(use \$in for a list\)$/,
    );
    expect(message(wrap({ $xor: [] }))).toMatch(/query\.\$xor: unknown operator/);
    let deep: Record<string, unknown> = { "metadata.a": "1" };
    for (let i = 0; i < 9; i++) deep = { $and: [deep] };
    expect(message(wrap(deep))).toMatch(/nested deeper than 8 levels of \$and\/\$or$/);
    const regexes = Array.from({ length: MAX_REGEX_PER_CONFIG + 1 }, (_, i) => ({
      [`metadata.k${i}`]: { $regex: "^a" },
    }));
    expect(message(wrap({ $or: regexes }))).toBe(`config: more than ${MAX_REGEX_PER_CONFIG} $regex operators`);
    expect(message(wrap({ $or: regexes.slice(1) }))).toBeNull();
  });

  it("formatConfigIssue works on issues parsed without reportInput too", () => {
    const result = configSchema.safeParse({ provider: "openai", retry: {} });
    expect(result.success).toBe(false);
    const [issue] = result.error?.issues ?? [];
    expect(issue && formatConfigIssue(issue)).toBe("config.retry.attempts: is required");
    const typed = configSchema.safeParse({ provider: "openai", request_timeout: "1s" });
    const [typeIssue] = typed.error?.issues ?? [];
    expect(typeIssue && formatConfigIssue(typeIssue)).toBe("config.request_timeout: expected a number, got a string");
  });

  it("renders paths", () => {
    expect(configIssuePath([])).toBe("config");
    expect(configIssuePath(["targets", 1, "weight"])).toBe("config.targets[1].weight");
    expect(configIssuePath(["query", "metadata.plan", "$eq"])).toBe('config.query["metadata.plan"].$eq');
    expect(configIssuePath(["a"], "")).toBe("a");
  });
});
