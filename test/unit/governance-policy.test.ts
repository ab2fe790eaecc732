import { describe, expect, it } from "vitest";
import { GatewayError } from "../../src/errors";
import { checkTarget, modelAllowed } from "../../src/governance/policy";
import type { GatewayKeyRecord, VirtualKeyRecord } from "../../src/governance/records";

const key = (overrides: Partial<GatewayKeyRecord> = {}): GatewayKeyRecord => ({
  id: "k1",
  name: "team-a",
  status: "active",
  user: null,
  team: null,
  metadata: {},
  allowedModels: null,
  allowedProviders: null,
  allowedVirtualKeys: null,
  defaultConfig: null,
  limits: { rpm: null, tpm: null, budgetUsd: null, period: "none" },
  expiresAt: null,
  logBodies: null,
  ...overrides,
});

const vk: VirtualKeyRecord = {
  id: "v1",
  slug: "openai-prod",
  name: "openai-prod",
  provider: "openai",
  status: "active",
  allowedModels: ["gpt-4o-mini"],
  limits: { rpm: null, tpm: null, budgetUsd: null, period: "none" },
  credential: { api_key: "sk" },
};

function refusal(fn: () => void): GatewayError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }
  throw new Error("expected a 403");
}

describe("allowlists", () => {
  it("models: exact ids, trailing-* prefixes, null for anything", () => {
    expect(modelAllowed(null, "anything")).toBe(true);
    expect(modelAllowed(["gpt-4o-mini", "claude-*"], "claude-sonnet-4-5")).toBe(true);
    expect(modelAllowed(["gpt-4o-mini"], "gpt-4o-mini-2024-07-18")).toBe(false);
    expect(modelAllowed(["gpt-4o-mini"], "gpt-4o")).toBe(false);
  });

  it("403 naming the rule and the target path", () => {
    const facts = { path: "config.targets[1]", provider: "openai" as const, model: "gpt-4o", virtualKey: undefined };
    const byModel = refusal(() => checkTarget(key({ allowedModels: ["gpt-4o-mini"] }), facts));
    expect(byModel).toMatchObject({ status: 403, code: "model_not_allowed" });
    expect(byModel.message).toBe(
      'config.targets[1]: model "gpt-4o" is not allowed for gateway key "team-a" (allowed: gpt-4o-mini)',
    );
    expect(refusal(() => checkTarget(key({ allowedProviders: ["anthropic"] }), facts)).code).toBe(
      "provider_not_allowed",
    );
    expect(refusal(() => checkTarget(key({ allowedVirtualKeys: ["openai-prod"] }), facts)).code).toBe(
      "virtual_key_required",
    );
    expect(refusal(() => checkTarget(key(), { ...facts, path: null, virtualKey: vk })).message).toMatch(
      /^model "gpt-4o" is not allowed for virtual key "openai-prod"/,
    );
  });

  it("passes what is allowed, and leaves a missing model to body validation", () => {
    const facts = { path: null, provider: "openai" as const, model: "gpt-4o-mini", virtualKey: vk };
    expect(() =>
      checkTarget(
        key({ allowedModels: ["gpt-4o*"], allowedProviders: ["openai"], allowedVirtualKeys: ["openai-prod"] }),
        facts,
      ),
    ).not.toThrow();
    expect(() => checkTarget(null, facts)).not.toThrow();
    expect(() => checkTarget(key({ allowedModels: ["x"] }), { ...facts, model: undefined })).not.toThrow();
  });
});
