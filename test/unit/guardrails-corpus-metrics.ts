/** Precision and recall per label over a labelled corpus: shared by the PII and prompt-injection corpus tests. */
export interface LabelledExample {
  text: string;
  categories: string[];
}

export interface LabelMetrics {
  label: string;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
}

export function metricsPerLabel(
  labels: readonly string[],
  examples: readonly LabelledExample[],
  predict: (text: string) => Set<string>,
): LabelMetrics[] {
  const predictions = examples.map((example) => ({
    expected: new Set(example.categories),
    found: predict(example.text),
  }));
  return labels.map((label) => {
    const tp = predictions.filter((p) => p.expected.has(label) && p.found.has(label)).length;
    const fp = predictions.filter((p) => !p.expected.has(label) && p.found.has(label)).length;
    const fn = predictions.filter((p) => p.expected.has(label) && !p.found.has(label)).length;
    return {
      label,
      truePositives: tp,
      falsePositives: fp,
      falseNegatives: fn,
      precision: tp + fp === 0 ? 1 : tp / (tp + fp),
      recall: tp + fn === 0 ? 1 : tp / (tp + fn),
    };
  });
}

/** The Markdown table docs/guardrails.md shows. */
export function metricsTable(rows: readonly LabelMetrics[]): string {
  const lines = [
    "| category | true positives | false positives | false negatives | precision | recall |",
    "|---|---|---|---|---|---|",
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.label} | ${r.truePositives} | ${r.falsePositives} | ${r.falseNegatives} | ${r.precision.toFixed(3)} | ${r.recall.toFixed(3)} |`,
    );
  }
  return lines.join("\n");
}

/** The examples a detector got wrong, for the failure message. */
export function mistakes(examples: readonly LabelledExample[], predict: (text: string) => Set<string>): string[] {
  return examples.flatMap((example) => {
    const found = [...predict(example.text)].sort();
    return found.join(",") === [...example.categories].sort().join(",")
      ? []
      : [`${JSON.stringify(example.text)}: expected [${example.categories}] found [${found}]`];
  });
}
