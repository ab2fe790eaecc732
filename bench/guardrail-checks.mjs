// CPU per guardrail check on its own (bench/lib/guardrail-checks.mjs), without starting any Worker:
//   node bench/guardrail-checks.mjs [--quick]      (npm run bench prints the same lines after its stage table)
import { formatChecks, measureChecks } from "./lib/guardrail-checks.mjs";

const quick = process.argv.includes("--quick");
const rows = await measureChecks({ quick });
console.log(formatChecks(rows));
process.exitCode = 0; // a MISS is reported, never a failure (speed is measured, not asserted)
