import { describe, expect, it } from "vitest";
import { chatAnswerText, classifierTokensOf } from "../../guardrails/classifiers/usage";
import { classifierCostOf, flaggedBy, withClassifierCost } from "../../src/observability/guardrail-outcome";

/** The moderation classifier's tokens as each wire format reports them, its price, and what counts as a flag. */

describe("classifier tokens from the answer", () => {
  it("reads OpenAI-style usage from a chat completion and from Workers AI text generation", () => {
    const chat = {
      id: "chatcmpl-1",
      object: "chat.completion",
      model: "llama-guard-3-8b",
      choices: [{ index: 0, message: { role: "assistant", content: "unsafe\nS1" }, finish_reason: "stop" }],
      usage: { prompt_tokens: 212, completion_tokens: 5, total_tokens: 217 },
    };
    expect(classifierTokensOf(chat)).toEqual({ promptTokens: 212, completionTokens: 5 });
    expect(chatAnswerText(chat)).toBe("unsafe\nS1");
    const workersAi = { response: "safe", usage: { prompt_tokens: 180, completion_tokens: 2, total_tokens: 182 } };
    expect(classifierTokensOf(workersAi)).toEqual({ promptTokens: 180, completionTokens: 2 });
  });

  it("a moderation answer with prompt and total tokens only generated nothing", () => {
    const moderation = { id: "mod-1", model: "m", results: [], usage: { prompt_tokens: 31, total_tokens: 31 } };
    expect(classifierTokensOf(moderation)).toEqual({ promptTokens: 31, completionTokens: 0 });
  });

  it("says nothing (null) when the answer reports no usage, so the caller estimates", () => {
    expect(classifierTokensOf({ id: "modr-1", model: "omni-moderation-latest", results: [] })).toBeNull();
    expect(classifierTokensOf({ response: "safe" })).toBeNull();
    expect(classifierTokensOf({ usage: { prompt_tokens: -1 } })).toBeNull();
    expect(() => chatAnswerText({ choices: [] })).toThrow(/no message content/);
  });
});

describe("classifier cost", () => {
  const call = (provider: string, model: string, promptTokens: number, completionTokens: number) => ({
    provider,
    model,
    promptTokens,
    completionTokens,
    estimated: false,
  });

  it("prices each call from the price table and sums them", () => {
    // groq llama-guard-3-8b: $0.20 per million in and out; workers-ai llama-guard-3-8b: $0.484 in, $0.03 out.
    const usd = classifierCostOf([
      call("groq", "llama-guard-3-8b", 1000, 10),
      call("workers-ai", "@cf/meta/llama-guard-3-8b", 2000, 4),
    ]);
    expect(usd).toBeCloseTo(1010 * 0.2e-6 + 2000 * 0.484e-6 + 4 * 0.03e-6, 12);
  });

  it("is null when no classifier ran, or when one model is not in the price table (unknown is not free)", () => {
    expect(classifierCostOf(undefined)).toBeNull();
    expect(classifierCostOf([])).toBeNull();
    expect(
      classifierCostOf([call("groq", "llama-guard-3-8b", 10, 1), call("openai", "omni-moderation-latest", 10, 0)]),
    ).toBeNull();
  });

  it("adds to a priced request's cost; an unpriced request stays unpriced", () => {
    const priced = { usd: 0.001, unpriced: false, priced_as: "openai/gpt-4o", tier: "base" as const };
    expect(withClassifierCost(priced, 0.0002).usd).toBeCloseTo(0.0012, 12);
    expect(withClassifierCost(priced, null)).toBe(priced);
    const unpriced = { usd: null, unpriced: true, priced_as: null, tier: null };
    expect(withClassifierCost(unpriced, 0.0002)).toBe(unpriced);
  });
});

describe("flagged by a guardrail", () => {
  const hook = (verdict: boolean, deny: boolean, async = false) => ({ id: "h", verdict, deny, async, checks: [] });
  const results = (before: unknown[], after: unknown[] = []) => ({
    before_request_hooks: before,
    after_request_hooks: after,
  });

  it("a failed hook without deny, input or output, or a failed async hook", () => {
    expect(flaggedBy(results([hook(false, false)]))).toBe(true);
    expect(flaggedBy(results([], [hook(true, false), hook(false, false)]))).toBe(true);
    expect(flaggedBy(results([hook(false, true, true)]))).toBe(true);
  });

  it("not when every hook passed, only a denying hook failed, or none ran", () => {
    expect(flaggedBy(results([hook(true, false)], [hook(true, true)]))).toBe(false);
    expect(flaggedBy(results([hook(false, true)]))).toBe(false);
    expect(flaggedBy(null)).toBe(false);
  });
});
