import * as z from "zod";
import type { CheckDefinition } from "../types";
import { failOnError, requireText } from "./common";
import { checkPattern, compilePattern } from "./pattern-cache";

const parameters = z.strictObject({
  rule: z.string().min(1).superRefine(checkPattern),
  redactText: z.string().max(256).default("[REDACTED]"),
  /** Portkey's: a match also fails the check (the text is still replaced). */
  failOnDetection: z.boolean().optional(),
  failOnError,
});

/**
 * A mutator: every match of `rule` is replaced by `redactText` (taken literally, no `$1`), and later checks and the
 * provider (input) or the client (output) see the new text. Reports how many replacements, never what was replaced.
 */
export const regexReplace: CheckDefinition<typeof parameters> = {
  id: "default.regexReplace",
  parameters,
  phases: ["input", "output"],
  run(context, p) {
    const { text, count } = compilePattern(p.rule).replaceAll(requireText(context), p.redactText);
    return {
      verdict: !(p.failOnDetection && count > 0),
      data: { replacements: count },
      ...(count > 0 ? { transformedText: text } : {}),
    };
  },
};
