// The guardrails stage of the stage-cost table: the gateway measured twice more on a user message of about 2 KB,
// once without guardrails and once with three checks, so the difference is what the checks cost on 2 KB:
//   input   default.regexMatch (deny on a US SSN shape) and default.pii (redaction, every category)
//   output  default.contains (`none` of two words), judged on the answer
// They come in the x-portkey-default-*-guardrails headers, so they add to whatever config other stages send.
// Not part of "gateway, full pipeline": the reference figures stay comparable with earlier runs.

/** About 2 KB of prose with an email address, a phone number and a card number for the redaction to replace. */
export const TWO_KB_MESSAGE = (
  "Please summarise this note. Contact ann.lee@example.com or +44 20 7946 0958 about invoice 88231; the card on " +
  "file is 4111 1111 1111 1111. " +
  "The quarterly review covered delivery dates, open support tickets and the migration of the billing service. ".repeat(
    20,
  )
).slice(0, 2048);

export const GUARDRAIL_CHECKS_PER_REQUEST = 3;

export const GUARDRAIL_HEADERS = {
  "x-portkey-default-input-guardrails": JSON.stringify([
    { "default.regexMatch": { rule: "\\b\\d{3}-\\d{2}-\\d{4}\\b", not: true }, deny: true },
    { "default.pii": { redact: true } },
  ]),
  "x-portkey-default-output-guardrails": JSON.stringify([
    { "default.contains": { words: ["confidential", "internal-only"], operator: "none" }, deny: true },
  ]),
};

/** The two variants to append to the stage table (`gateway` is the gateway target of bench/run.mjs). */
export function guardrailVariants(gateway, cpu) {
  const twoKb = { ...gateway, userText: TWO_KB_MESSAGE };
  const guarded = { ...twoKb, headers: (v) => ({ ...gateway.headers(v), ...GUARDRAIL_HEADERS }) };
  return [
    { name: "gateway, 2 KB message", target: twoKb, cpu },
    { name: "gateway, 2 KB message + guardrails (3 checks)", target: guarded, cpu },
  ];
}

/** One line under the stage table: the guardrails' CPU per request and per check on 2 KB (the issue's aim: < 0.1 ms). */
export function formatGuardrailCost(stages) {
  const [plain, guarded] = guardrailVariants({ headers: () => ({}) }, null).map((v) => stages[v.name]);
  if (!plain || !guarded) return "";
  const perRequest = guarded.cpuMsPerRequest - plain.cpuMsPerRequest;
  const perCheck = perRequest / GUARDRAIL_CHECKS_PER_REQUEST;
  return `guardrails on 2 KB: ${perRequest.toFixed(3)} CPU ms/request, ${perCheck.toFixed(3)} per check`;
}
