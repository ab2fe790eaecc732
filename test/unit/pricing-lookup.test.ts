import { describe, expect, it } from "vitest";
import { PRICE_TABLE_HEADER, priceFor } from "../../schema/pricing";
import { PRICE_TABLES } from "../../schema/pricing/table";

// Expected rates are the catalog's cents-per-token figures (Portkey-AI/models f654307) divided by 100 by hand.
describe("priceFor", () => {
  it("returns a known model's rates in USD per token (openai gpt-4o: 0.00025/0.001/0.000125/0 cents)", () => {
    expect(priceFor("openai", "gpt-4o")).toEqual({
      provider: "openai",
      model: "gpt-4o",
      input: 0.0000025,
      output: 0.00001,
      cacheRead: 0.00000125,
      cacheWrite: 0, // OpenAI does not charge cache writes: an explicit 0, not "unknown"
      longContext: null,
    });
  });

  it("keeps absent cache rates as null so cost falls back to the input rate", () => {
    const price = priceFor("mistral-ai", "mistral-large-latest");
    expect(price?.cacheRead).toBeNull();
    expect(price?.cacheWrite).toBeNull();
  });

  it("prefers an exact dated id over the alias when the catalog prices it differently", () => {
    // gpt-4o-2024-05-13 is 0.0005/0.0015 cents, unlike gpt-4o.
    expect(priceFor("openai", "gpt-4o-2024-05-13")).toMatchObject({
      model: "gpt-4o-2024-05-13",
      input: 0.000005,
      output: 0.000015,
    });
  });

  it("strips an OpenAI date suffix the table does not list", () => {
    expect(priceFor("openai", "gpt-4o-mini-2099-01-01")).toMatchObject({
      model: "gpt-4o-mini",
      input: 1.5e-7,
      output: 6e-7,
    });
  });

  it("strips an Anthropic date suffix the table does not list", () => {
    expect(priceFor("anthropic", "claude-sonnet-4-5-20991231")).toMatchObject({
      model: "claude-sonnet-4-5",
      input: 0.000003,
      output: 0.000015,
      cacheRead: 3e-7,
      cacheWrite: 0.00000375,
    });
  });

  it("strips Gemini's models/ prefix and carries the long-context tier", () => {
    expect(priceFor("google", "models/gemini-2.5-pro")).toMatchObject({
      model: "gemini-2.5-pro",
      input: 0.00000125,
      output: 0.00001,
      cacheRead: 1.25e-7,
      longContext: {
        above: 128000,
        rates: { input: 0.0000025, output: 0.000015, cacheRead: 2.5e-7, cacheWrite: null },
      },
    });
  });

  it("matches case-insensitively as a last resort", () => {
    expect(priceFor("together-ai", "meta-llama/llama-3.3-70b-instruct-turbo")).toMatchObject({
      model: "meta-llama/Llama-3.3-70B-Instruct-Turbo",
      input: 8.8e-7,
    });
  });

  it("strips a bedrock cross-region prefix", () => {
    expect(priceFor("bedrock", "apac.anthropic.claude-sonnet-4-5-20250929-v1:0")).toMatchObject({
      model: "anthropic.claude-sonnet-4-5-20250929-v1:0",
      input: 0.000003,
    });
  });

  it("falls back from azure-openai to openai's table for a model Azure does not list", () => {
    expect(priceFor("azure-openai", "gpt-4o-audio-preview")).toMatchObject({
      provider: "openai",
      model: "gpt-4o-audio-preview",
      input: 0.0000025,
      output: 0.00001,
    });
  });

  it("uses Azure's own price when Azure lists the model", () => {
    expect(priceFor("azure-openai", "gpt-4o")).toMatchObject({ provider: "azure-openai", model: "gpt-4o" });
  });

  it("prices openrouter vendor/model from OpenRouter's table first, then the vendor's", () => {
    expect(priceFor("openrouter", "anthropic/claude-haiku-4.5")).toMatchObject({
      provider: "openrouter",
      input: 0.000001,
    });
    // Not in OpenRouter's table: Anthropic's own claude-haiku-4-5 (0.0001/0.0005 cents).
    expect(priceFor("openrouter", "anthropic/claude-haiku-4-5")).toMatchObject({
      provider: "anthropic",
      model: "claude-haiku-4-5",
      input: 0.000001,
      output: 0.000005,
    });
    // Dotted Claude version not in OpenRouter's table -> Anthropic's dashed id.
    expect(priceFor("openrouter", "anthropic/claude-3.5-sonnet-latest")).toMatchObject({
      provider: "anthropic",
      model: "claude-3-5-sonnet-latest",
    });
  });

  it("never guesses: unknown models, unpriced providers and zero defaults give null", () => {
    expect(priceFor("openai", "gpt-unknown-9")).toBeNull();
    expect(priceFor("openai", "default")).toBeNull();
    expect(priceFor("ollama", "llama3")).toBeNull();
    expect(priceFor("custom", "gpt-4o")).toBeNull();
    expect(priceFor("no-such-provider", "gpt-4o")).toBeNull();
    expect(priceFor("groq", "gpt-4o")).toBeNull(); // no cross-provider guessing outside azure/openrouter
    expect(priceFor("openai", "dall-e-3")).toBeNull(); // priced per image: left out of the table
    expect(priceFor("openai", "")).toBeNull();
  });

  it("does not mistake object prototype members for models or vendors", () => {
    for (const name of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
      expect(priceFor("openai", name), name).toBeNull();
      expect(priceFor("openrouter", `${name}/gpt-4o`), name).toBeNull();
      expect(priceFor(name, "gpt-4o"), name).toBeNull();
    }
  });

  it("hands out shared prices that callers cannot modify", () => {
    const price = priceFor("openai", "gpt-4o");
    expect(price).toBe(priceFor("openai", "gpt-4o-2099-01-01"));
    expect(Object.isFrozen(price)).toBe(true);
  });

  it("prices models the catalog names as free at exactly 0", () => {
    expect(priceFor("openrouter", "openai/gpt-oss-20b:free")).toMatchObject({ input: 0, output: 0 });
  });
});

describe("the generated table", () => {
  it("decodes every entry of every provider", () => {
    let total = 0;
    for (const table of PRICE_TABLES.values()) total += table.decodeAll();
    expect(total).toBeGreaterThan(1900); // 1,969 models at f654307
  });
});

describe("price table header", () => {
  it("names the source, commit, date, licence and units", () => {
    expect(PRICE_TABLE_HEADER).toEqual({
      source: "Portkey-AI/models",
      commit: "f654307",
      date: "2026-08-21",
      license: "MIT",
      units: "USD per million tokens",
    });
  });
});
