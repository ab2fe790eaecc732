import { describe, expect, it } from "vitest";
import corpus from "../fixtures/guardrails/pii-corpus.json";
import { detectPii } from "../../guardrails/pii/detect";
import { PII_CATEGORIES } from "../../guardrails/pii/types";
import { metricsPerLabel, metricsTable, mistakes, type LabelledExample } from "./guardrails-corpus-metrics";

/** The floor docs/guardrails.md promises; the measured table is printed so the doc can be refreshed from it. */
const FLOOR = 0.95;
const examples: LabelledExample[] = corpus;
const predict = (text: string) => new Set<string>(detectPii(text).map((f) => f.category));

describe("PII detector on the labelled corpus", () => {
  it("ships at least 300 labelled strings, near misses included", () => {
    expect(examples.length).toBeGreaterThanOrEqual(300);
    expect(examples.filter((e) => e.categories.length === 0).length).toBeGreaterThanOrEqual(100);
  });

  it(`has precision and recall of at least ${FLOOR} in every category`, () => {
    const rows = metricsPerLabel(PII_CATEGORIES, examples, predict);
    console.log(
      `PII corpus (${examples.length} strings)\n${metricsTable(rows)}\nmistakes:\n${mistakes(examples, predict).join("\n")}`,
    );
    for (const row of rows) {
      expect(row.truePositives, row.label).toBeGreaterThanOrEqual(10);
      expect(row.precision, `${row.label} precision`).toBeGreaterThanOrEqual(FLOOR);
      expect(row.recall, `${row.label} recall`).toBeGreaterThanOrEqual(FLOOR);
    }
  });
});
