import * as z from "zod";
import { countByCategory, detectPii } from "../pii/detect";
import { redactFindings } from "../pii/redact";
import { PII_CATEGORIES, type PiiFinding } from "../pii/types";
import type { CheckDefinition, CheckOutcome } from "../types";

/**
 * `default.pii`: local detection of personal data and secrets (guardrails/pii/*), no external service.
 * Portkey's semantics: the check fails when anything of the chosen categories is found; with `redact: true` it
 * passes instead and hands on the text with numbered placeholders (as Portkey's PII plugins do when they redact);
 * `not` inverts a detection verdict (pass only when PII is present) and so cannot be combined with `redact`.
 */
/**
 * On a streamed prefix a finding counts once whitespace follows it: until then more characters could change it
 * (`415-555-2671` + `9` is no phone number). Text after whitespace never changes a finding before it.
 */
function isSettled(text: string, finding: PiiFinding): boolean {
  return finding.end < text.length && /\s/.test(text.charAt(finding.end));
}

const parameters = z
  .strictObject({
    categories: z.array(z.enum(PII_CATEGORIES)).min(1).optional(),
    redact: z.boolean().optional(),
    restore: z.boolean().optional(),
    not: z.boolean().optional(),
    failOnError: z.boolean().optional(),
  })
  .superRefine((value, ctx) => {
    if (value.restore && !value.redact)
      ctx.addIssue({ code: "custom", path: ["restore"], message: "restore needs redact: true" });
    if (value.not && value.redact)
      ctx.addIssue({ code: "custom", path: ["not"], message: "not cannot be combined with redact" });
  });

export const piiCheck: CheckDefinition<typeof parameters> = {
  id: "default.pii",
  parameters,
  phases: ["input", "output"],
  streamable: true,
  run(context, params): CheckOutcome {
    const all = detectPii(context.text, params.categories ?? PII_CATEGORIES);
    const findings = context.partial ? all.filter((f) => isSettled(context.text, f)) : all;
    const counts = countByCategory(findings);
    const data = { detected: findings.length > 0, categories: Object.keys(counts), counts };
    if (params.redact && findings.length > 0) {
      const redaction = redactFindings(context.text, findings, context.placeholders);
      return {
        verdict: true,
        data: { ...data, redacted: findings.length },
        transformedText: redaction.text,
        ...(params.restore ? { restore: redaction.restore } : {}),
      };
    }
    const clean = findings.length === 0;
    // On a streamed prefix `not` cannot fail yet: the PII it requires may still come.
    if (context.partial && params.not) return { verdict: true, data };
    return { verdict: params.not ? !clean : clean, data };
  },
};
