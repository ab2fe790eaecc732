import { describe, expect, it } from "vitest";
import corpus from "../fixtures/guardrails/injection-corpus.json";
import { scoreInjection } from "../../guardrails/injection/score";
import { metricsPerLabel, metricsTable, mistakes, type LabelledExample } from "./guardrails-corpus-metrics";

/** Floors docs/guardrails.md states for the default threshold (0.5); the measured table is printed. */
const PRECISION_FLOOR = 0.9;
const RECALL_FLOOR = 0.9;
const THRESHOLD = 0.5;
const examples: LabelledExample[] = corpus;
const predict = (text: string) => new Set<string>(scoreInjection(text).score >= THRESHOLD ? ["prompt_injection"] : []);

describe("prompt-injection heuristic on the labelled corpus", () => {
  it("ships at least 150 labelled strings with benign look-alikes", () => {
    expect(examples.length).toBeGreaterThanOrEqual(150);
    expect(examples.filter((e) => e.categories.length === 0).length).toBeGreaterThanOrEqual(60);
  });

  it("meets the stated precision and recall at the default threshold", () => {
    const [row] = metricsPerLabel(["prompt_injection"], examples, predict);
    console.log(
      `Injection corpus (${examples.length} strings)\n${metricsTable(row ? [row] : [])}\nmistakes:\n${mistakes(examples, predict).join("\n")}`,
    );
    expect(row?.precision).toBeGreaterThanOrEqual(PRECISION_FLOOR);
    expect(row?.recall).toBeGreaterThanOrEqual(RECALL_FLOOR);
  });
});
