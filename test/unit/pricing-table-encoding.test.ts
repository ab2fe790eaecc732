import { describe, expect, it } from "vitest";
import { priceFor } from "../../schema/pricing";
import { loadTables } from "../../schema/pricing/table";

const HEADER = { source: "s", commit: "c", date: "d", license: "MIT", units: "USD per million tokens" };

// The table is written in USD per million tokens to keep the Worker bundle small (docs/benchmark.md); priceFor
// must still give the exact per-token doubles the catalog's decimals denote.
describe("the price table's per-million encoding", () => {
  it("decodes per-million decimals to the exact per-token double, not one rounded twice", () => {
    expect(0.8 / 1e6).not.toBe(8e-7); // 8.000000000000001e-7: what a plain division would bill
    expect(priceFor("anthropic", "claude-3-5-haiku-20241022")).toMatchObject({
      input: 8e-7,
      output: 0.000004,
      cacheRead: 8e-8,
      cacheWrite: 0.000001,
    });
    expect(priceFor("anthropic", "claude-haiku-4-5")).toMatchObject({ input: 0.000001, cacheRead: 1e-7 });
  });

  it("decodes long-context tiers and keeps absent cache rates null", () => {
    const { tables } = loadTables({
      header: HEADER,
      defaults: {},
      providers: { google: { pro: [[1.25, 10, 0.125], 200000, [2.5, 15]] } },
    });
    expect(tables.get("google")?.get("pro")).toEqual({
      provider: "google",
      model: "pro",
      input: 0.00000125,
      output: 0.00001,
      cacheRead: 1.25e-7,
      cacheWrite: null,
      longContext: { above: 200000, rates: { input: 0.0000025, output: 0.000015, cacheRead: null, cacheWrite: null } },
    });
  });

  it("refuses a table written in other units rather than misprice by a factor of a million", () => {
    expect(() => loadTables({ header: { ...HEADER, units: "USD per token" }, defaults: {}, providers: {} })).toThrow(
      /units must be "USD per million tokens"/,
    );
  });
});
