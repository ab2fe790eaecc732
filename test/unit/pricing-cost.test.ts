import { describe, expect, it } from "vitest";
import { costOf, estimateTokens, priceFor, worstCaseCost, type ModelPrice } from "../../schema/pricing";

function known(provider: string, model: string): ModelPrice {
  const price = priceFor(provider, model);
  if (!price) throw new Error(`${provider}/${model} missing from the price table`);
  return price;
}

describe("costOf", () => {
  it("bills OpenAI cached tokens at the cache-read rate and the rest of the prompt at the input rate", () => {
    // gpt-4o: $2.50/M input, $1.25/M cached, $10/M output.
    // 500 uncached * 2.5e-6 = 0.00125; 1500 cached * 1.25e-6 = 0.001875; 300 out * 1e-5 = 0.003.
    const cost = costOf(known("openai", "gpt-4o"), {
      prompt_tokens: 2000,
      completion_tokens: 300,
      prompt_tokens_details: { cached_tokens: 1500 },
    });
    expect(cost).toEqual({
      usd: 0.006125,
      tier: "base",
      breakdown: {
        input: { tokens: 500, usd: 0.00125 },
        cacheRead: { tokens: 1500, usd: 0.001875 },
        cacheWrite: { tokens: 0, usd: 0 },
        output: { tokens: 300, usd: 0.003 },
      },
    });
  });

  it("bills Anthropic cache reads and writes separately, both counted inside prompt_tokens", () => {
    // claude-sonnet-4-5: $3/M input, $0.30/M cache read, $3.75/M cache write, $15/M output.
    // 2000 uncached = 0.006; 6000 read = 0.0018; 2000 written = 0.0075; 500 out = 0.0075 -> 0.0228.
    const cost = costOf(known("anthropic", "claude-sonnet-4-5-20250929"), {
      prompt_tokens: 10000,
      completion_tokens: 500,
      prompt_tokens_details: { cached_tokens: 6000 },
      cache_creation_input_tokens: 2000,
    });
    expect(cost.usd).toBe(0.0228);
    expect(cost.breakdown).toEqual({
      input: { tokens: 2000, usd: 0.006 },
      cacheRead: { tokens: 6000, usd: 0.0018 },
      cacheWrite: { tokens: 2000, usd: 0.0075 },
      output: { tokens: 500, usd: 0.0075 },
    });
  });

  it("prices Gemini at the base tier, and the whole request at the long tier above the threshold", () => {
    const price = known("google", "models/gemini-2.5-pro");
    // Base: 1000 * 1.25e-6 + 200 * 1e-5 (reasoning is inside completion_tokens) = 0.00125 + 0.002.
    const short = costOf(price, { prompt_tokens: 1000, completion_tokens: 200 });
    expect(short).toMatchObject({ usd: 0.00325, tier: "base" });
    // Exactly at the threshold is still the base tier.
    expect(costOf(price, { prompt_tokens: 128000, completion_tokens: 0 })).toMatchObject({ usd: 0.16, tier: "base" });
    // Above it: 200000 * 2.5e-6 + 1000 * 1.5e-5 = 0.5 + 0.015.
    expect(costOf(price, { prompt_tokens: 200000, completion_tokens: 1000 })).toMatchObject({
      usd: 0.515,
      tier: "long",
    });
  });

  it("falls back to the input rate for cache tokens when the model lists no cache rate", () => {
    // mistral-large-latest: $0.50/M input, $1.50/M output, no cache rates. 1000 * 5e-7 + 100 * 1.5e-6.
    const cost = costOf(known("mistral-ai", "mistral-large-latest"), {
      prompt_tokens: 1000,
      completion_tokens: 100,
      prompt_tokens_details: { cached_tokens: 400 },
      cache_creation_input_tokens: 100,
    });
    expect(cost.usd).toBe(0.00065);
    expect(cost.breakdown.cacheRead).toEqual({ tokens: 400, usd: 0.0002 });
    expect(cost.breakdown.cacheWrite).toEqual({ tokens: 100, usd: 0.00005 });
  });

  it("prices an embeddings usage (no completion_tokens)", () => {
    // text-embedding-3-small: 0.000002 cents = $0.02/M. 5000 * 2e-8.
    expect(costOf(known("openai", "text-embedding-3-small"), { prompt_tokens: 5000 }).usd).toBe(0.0001);
  });

  it("never goes negative or NaN on inconsistent or garbage usage", () => {
    const cost = costOf(known("openai", "gpt-4o"), {
      prompt_tokens: 100,
      completion_tokens: Number.NaN,
      prompt_tokens_details: { cached_tokens: 150 },
      cache_creation_input_tokens: -5,
    });
    expect(cost.breakdown.input.tokens).toBe(0);
    expect(cost.breakdown.cacheRead.tokens).toBe(100);
    expect(cost.breakdown.cacheWrite.tokens).toBe(0);
    expect(cost.breakdown.output.tokens).toBe(0);
    expect(cost.usd).toBe(0.000125);
  });

  it("rounds to 1e-10 USD, removing float noise", () => {
    // 3 * 1e-7 is 3.0000000000000004e-7 in binary floating point.
    const cost = costOf(known("google", "gemini-2.5-flash-lite"), { prompt_tokens: 3, completion_tokens: 0 });
    expect(cost.usd).toBe(3e-7);
  });
});

describe("worstCaseCost", () => {
  it("reserves the prompt at the dearest prompt rate plus max_tokens of output, rounded up", () => {
    // claude-sonnet-4-5: cache write $3.75/M beats input $3/M. 1000 * 3.75e-6 + 500 * 1.5e-5 = 0.00375 + 0.0075.
    expect(worstCaseCost(known("anthropic", "claude-sonnet-4-5"), 1000, 500)).toBe(0.01125);
    // gpt-4o: input is the dearest prompt rate. 1000 * 2.5e-6 + 500 * 1e-5.
    expect(worstCaseCost(known("openai", "gpt-4o"), 1000, 500)).toBe(0.0075);
  });

  it("uses the long-context tier when the prompt is past the threshold", () => {
    // gemini-2.5-pro above 128k: 200000 * 2.5e-6 + 1000 * 1.5e-5.
    expect(worstCaseCost(known("google", "gemini-2.5-pro"), 200000, 1000)).toBe(0.515);
  });

  it("is never below the real cost of a request within those limits", () => {
    const price = known("anthropic", "claude-sonnet-4-5");
    const real = costOf(price, {
      prompt_tokens: 1000,
      completion_tokens: 500,
      prompt_tokens_details: { cached_tokens: 200 },
      cache_creation_input_tokens: 800,
    });
    expect(worstCaseCost(price, 1000, 500)).toBeGreaterThanOrEqual(real.usd);
  });
});

describe("estimateTokens", () => {
  it("counts four ASCII characters per token, rounded up", () => {
    expect(estimateTokens("")).toBe(0);
    expect(estimateTokens("abcd")).toBe(1);
    expect(estimateTokens("abcde")).toBe(2);
    expect(estimateTokens("x".repeat(4000))).toBe(1000);
  });

  it("counts each non-ASCII UTF-16 unit as a token, so CJK text is not underestimated", () => {
    expect(estimateTokens("你好世界")).toBe(4);
    expect(estimateTokens("hi 你好")).toBe(1 + 2);
  });
});
