/**
 * `ai_gateway_guardrail_checks_total{check, verdict}`: lifetime guardrail check results from guardrail_check_totals
 * (filled by the log consumer, guardrail-rollup-sql.ts), in the same text exposition as prometheus.ts. A check that
 * errored without `failOnError` counts as a pass, as its verdict was.
 */
export interface GuardrailCheckCount {
  check: string;
  verdict: string;
  count: number;
}

const NAME = "ai_gateway_guardrail_checks_total";

const escapeLabel = (value: string): string =>
  value.replaceAll("\\", "\\\\").replaceAll("\n", "\\n").replaceAll('"', '\\"');

export function renderGuardrailChecks(rows: readonly GuardrailCheckCount[]): string {
  const out = [
    `# HELP ${NAME} Guardrail check results, by check id and verdict (pass or fail).`,
    `# TYPE ${NAME} counter`,
  ];
  for (const row of rows) {
    out.push(`${NAME}{check="${escapeLabel(row.check)}",verdict="${escapeLabel(row.verdict)}"} ${row.count}`);
  }
  return `${out.join("\n")}\n`;
}
