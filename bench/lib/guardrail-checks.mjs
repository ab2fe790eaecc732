// CPU per guardrail check (issue 13's aims: under 0.1 ms per check on a 2 KB message; a 10 KB adversarial input
// under 1 ms). The end-to-end rows of guardrails-stage.mjs measure the gateway with and without three checks, which
// mixes the checks with hook parsing and the runner and cannot see one check apart. Here each check runs on its own:
// the guardrails code is bundled with esbuild (as wrangler bundles it, minified), its `run` is called in a bounded
// loop in this Node process (V8, like workerd), and process.cpuUsage() gives the CPU per call. No network: the
// checks measured are pure.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { TWO_KB_MESSAGE } from "./guardrails-stage.mjs";
import { buildDir, root } from "./setup.mjs";

export const AIM_2KB_MS = 0.1;
export const AIM_ADVERSARIAL_MS = 1;

const SSN_RULE = "\\b\\d{3}-\\d{2}-\\d{4}\\b";
const TEN_KB = 10_240;
const fill = (unit, length) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);

/** Inputs built to hit the slow paths: backtracking shapes for the regex engine, near misses for the PII scanner. */
export const ADVERSARIAL = {
  // `(a+)+$` and friends on a long run that fails at its very end: exponential on a backtracking engine.
  redosRun: `${"a".repeat(TEN_KB - 1)}!`,
  // 10,000 digits in one run: every offset starts a card, phone, SSN or IBAN candidate that must be rejected.
  digits: fill("1234567890", 10_000),
  // Card-shaped groups that fail the Luhn check, SSN shapes in excluded ranges, dates and versions: near misses.
  nearMisses: fill("4111 1111 1111 1112, 000-12-3456, 2026-12-07, v10.20.30 ", TEN_KB),
};

/** [label, check id, parameters, phase, text, aim in ms]. */
export function checkCases() {
  const onTwoKb = [
    ["input regexMatch (SSN shape, not) on 2 KB", "default.regexMatch", { rule: SSN_RULE, not: true }, "input"],
    ["input pii redaction (every category) on 2 KB", "default.pii", { redact: true }, "input"],
    [
      "output contains (none of 2 words) on 2 KB",
      "default.contains",
      { words: ["confidential", "internal-only"], operator: "none" },
      "output",
    ],
  ].map((c) => [...c, TWO_KB_MESSAGE, AIM_2KB_MS]);
  const adversarial = [
    ["regexMatch (a+)+$ on 10 KB of a's", "default.regexMatch", { rule: "(a+)+$", not: true }, "input", "redosRun"],
    ["regexMatch (a|aa)*b on 10 KB of a's", "default.regexMatch", { rule: "(a|aa)*b", not: true }, "input", "redosRun"],
    ["regexMatch SSN shape on 10,000 digits", "default.regexMatch", { rule: SSN_RULE, not: true }, "input", "digits"],
    ["pii redaction on 10,000 digits", "default.pii", { redact: true }, "input", "digits"],
    ["pii redaction on 10 KB of near misses", "default.pii", { redact: true }, "input", "nearMisses"],
    [
      "contains on 10 KB of a's",
      "default.contains",
      { words: ["aab", "confidential"], operator: "none" },
      "input",
      "redosRun",
    ],
  ].map(([label, id, params, phase, input]) => [label, id, params, phase, ADVERSARIAL[input], AIM_ADVERSARIAL_MS]);
  return { onTwoKb, adversarial };
}

/** The guardrails registry, bundled from the TypeScript sources. */
async function loadRegistry() {
  mkdirSync(buildDir, { recursive: true });
  const outfile = path.join(buildDir, "guardrail-checks.mjs");
  await build({
    stdin: { contents: 'export { getCheck } from "./guardrails/registry";', resolveDir: root, loader: "ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    outfile,
    logLevel: "error",
  });
  return import(`${pathToFileURL(outfile).href}?t=${Date.now()}`);
}

const contextOf = (phase, text) => ({
  phase,
  text,
  requestJson: { model: "gpt-4o-mini", messages: [{ role: "user", content: text }] },
  metadata: {},
  operation: "chat",
  signal: new AbortController().signal,
});

/** CPU ms per call of one check, median of `rounds` bounded loops of `iterations` calls. */
function cpuPerCall(definition, parameters, context, iterations, rounds) {
  for (let i = 0; i < Math.min(iterations, 200); i++) definition.run(context, parameters); // warm the JIT
  const perRound = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.cpuUsage();
    for (let i = 0; i < iterations; i++) definition.run(context, parameters);
    const used = process.cpuUsage(start);
    perRound.push((used.user + used.system) / 1000 / iterations);
  }
  return perRound.sort((a, b) => a - b)[Math.floor(rounds / 2)];
}

/** Every case measured: `{label, check, chars, cpuMs, aimMs, pass}`. */
export async function measureChecks({ quick = false } = {}) {
  const { getCheck } = await loadRegistry();
  const { onTwoKb, adversarial } = checkCases();
  const rows = [];
  for (const [label, id, raw, phase, text, aimMs] of [...onTwoKb, ...adversarial]) {
    const definition = getCheck(id);
    const parameters = definition.parameters.parse(raw);
    const iterations = aimMs === AIM_2KB_MS ? (quick ? 300 : 2000) : quick ? 30 : 200;
    const cpuMs = cpuPerCall(definition, parameters, contextOf(phase, text), iterations, quick ? 3 : 7);
    rows.push({ label, check: id, chars: text.length, cpuMs, aimMs, pass: cpuMs < aimMs });
  }
  return rows;
}

export function formatChecks(rows) {
  const lines = ["guardrail checks, CPU per call (Node, bundled like the Worker):"];
  for (const r of rows) {
    const verdict = r.pass ? "PASS" : "MISS";
    lines.push(
      `  ${r.label.padEnd(48)} ${r.cpuMs.toFixed(4).padStart(8)} ms  (aim < ${r.aimMs} ms: ${verdict}, ${r.chars} chars)`,
    );
  }
  return lines.join("\n");
}
