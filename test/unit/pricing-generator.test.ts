import { describe, expect, it } from "vitest";
import generated from "../../schema/pricing/prices.generated.json";
import {
  CATALOG_HEADER,
  PROVIDER_SOURCES,
  buildPriceTable,
  centsToUsdPerMillion,
  serializeTable,
  type CatalogJson,
} from "../../schema/pricing/transform.mjs";
import { PROVIDER_IDS } from "../../schema/provider-ids";

// A catalog entry the way Portkey-AI/models writes it (cents per token).
function payg(rates: Record<string, number>): { pricing_config: { pay_as_you_go: Record<string, { price: number }> } } {
  return {
    pricing_config: { pay_as_you_go: Object.fromEntries(Object.entries(rates).map(([k, price]) => [k, { price }])) },
  };
}

const zeroDefault = payg({ request_token: 0, response_token: 0 });

describe("buildPriceTable (the generator's pure transform)", () => {
  it("converts cents per token to USD per million tokens without float noise", () => {
    expect(0.0003 * 10_000).not.toBe(3); // 2.9999999999999996: the noise this guards against
    expect(centsToUsdPerMillion(0.0003)).toBe(3);
    expect(centsToUsdPerMillion(0.0006)).toBe(6);
    expect(centsToUsdPerMillion(0.0000075)).toBe(0.075);
  });

  it("writes [input, output, cacheRead, cacheWrite], trimming absent trailing cache rates, keeping explicit 0", () => {
    const sample: Record<string, CatalogJson> = {
      openai: {
        default: zeroDefault,
        "gpt-x": payg({
          request_token: 0.00025,
          response_token: 0.001,
          cache_read_input_token: 0.000125,
          cache_write_input_token: 0,
        }),
        "plain-x": payg({ request_token: 0.00005, response_token: 0.00015 }),
        "write-only": payg({ request_token: 0.0003, response_token: 0.0015, cache_write_input_token: 0.000375 }),
        "embed-x": payg({ request_token: 0.000002 }),
      },
    };
    const { table } = buildPriceTable(sample);
    expect(table.providers.openai).toEqual({
      "embed-x": [0.02, 0],
      "gpt-x": [2.5, 10, 1.25, 0],
      "plain-x": [0.5, 1.5],
      "write-only": [3, 15, null, 3.75],
    });
    expect(table.defaults).toEqual({}); // a zero default is never kept
  });

  it("keeps a non-zero provider default separately from the models", () => {
    const { table } = buildPriceTable({ groq: { default: payg({ request_token: 0.0001, response_token: 0.0002 }) } });
    expect(table.defaults).toEqual({ groq: [1, 2] });
    expect(table.providers.groq).toEqual({});
  });

  it("drops models with no per-token price but keeps the ones the catalog names free", () => {
    const { table, report } = buildPriceTable({
      openrouter: {
        "openai/gpt-image": payg({ request_text_token: 0.0005, cache_read_input_token: 0.0001 }),
        "vendor/model:free": payg({ request_token: 0, response_token: 0 }),
        "openrouter/auto": payg({ request_token: 0, response_token: 0 }),
      },
    });
    expect(table.providers.openrouter).toEqual({ "vendor/model:free": [0, 0] });
    expect(report.droppedNoTokenPrice).toEqual(["openrouter/openai/gpt-image", "openrouter/openrouter/auto"]);
  });

  it("folds Gemini -lte/-gt pairs into one tiered entry, the lowest threshold winning", () => {
    const { table, report } = buildPriceTable({
      google: {
        "g-pro-lte-128k": payg({ request_token: 0.000125, response_token: 0.001, cache_read_input_token: 0.0000125 }),
        "g-pro-gt-128k": payg({ request_token: 0.00025, response_token: 0.0015 }),
        "g-pro-lte-200k": payg({ request_token: 0.000125, response_token: 0.001 }),
        "g-pro-gt-200k": payg({ request_token: 0.0003, response_token: 0.002 }),
        "g-flash-lte-128k": payg({ request_token: 0.00003, response_token: 0.00025 }),
        "g-flash-gt-128k": payg({ request_token: 0.00003, response_token: 0.00025 }),
        "g-flash": payg({ request_token: 0.00001, response_token: 0.00001 }),
      },
    });
    expect(table.providers.google).toEqual({
      // The gt tier omits the cache rate: it inherits the base tier's.
      "g-pro": [[1.25, 10, 0.125], 128000, [2.5, 15, 0.125]],
      // Identical tiers collapse; the pair wins over the flat sibling of the same name.
      "g-flash": [0.3, 2.5],
    });
    expect(report.foldedTierNames).toHaveLength(6);
  });

  it("reads a long-context tier from custom_pricing.context_tier_map", () => {
    const tiers = {
      "lte-200k": payg({ request_token: 0.0003, response_token: 0.0015, cache_read_input_token: 0.00003 }),
      "gt-200k": payg({ request_token: 0.0006, response_token: 0.00225 }),
    };
    const { table } = buildPriceTable({
      "vertex-ai": {
        claude: {
          ...payg({ request_token: 0.0003, response_token: 0.0015, cache_write_input_token: 0.000375 }),
          custom_pricing: {
            context_tier_map: { "0": "lte-200k", "200000": "gt-200k" },
            regions: { default: { execution_modes: { standard: { context_tiers: tiers } } } },
          },
        },
      },
    });
    // Base: top-level pay_as_you_go, gaps (cacheRead) filled from the low tier; long: high tier over the base.
    expect(table.providers["vertex-ai"]).toEqual({
      claude: [[3, 15, 0.3, 3.75], 200000, [6, 22.5, 0.3, 3.75]],
    });
  });

  it("rejects a price that is not a non-negative number", () => {
    expect(() => buildPriceTable({ openai: { bad: payg({ request_token: -1, response_token: 0 }) } })).toThrow(
      /openai\/bad/,
    );
  });

  it("serialises to JSON that parses back to the same table", () => {
    const { table } = buildPriceTable({
      anthropic: { c: payg({ request_token: 0.0003, response_token: 0.0015 }) },
      openai: { o: payg({ request_token: 0.00025, response_token: 0.001 }) },
    });
    expect(JSON.parse(serializeTable(table))).toEqual(table);
  });
});

describe("the committed prices.generated.json", () => {
  it("carries the catalog header", () => {
    expect(generated.header).toEqual(CATALOG_HEADER);
    expect(generated.header).toMatchObject({
      source: "Portkey-AI/models",
      commit: "f654307",
      date: "2026-08-21",
      license: "MIT",
    });
  });

  it("has a table for every provider the generator maps, and every mapped id is a gateway provider or a planned one", () => {
    const planned = new Set<string>([...PROVIDER_IDS, "bedrock", "vertex-ai"]);
    for (const provider of Object.keys(PROVIDER_SOURCES)) {
      expect(planned.has(provider), provider).toBe(true);
      expect(Object.keys(generated.providers), provider).toContain(provider);
    }
  });
});
