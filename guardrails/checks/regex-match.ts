import * as z from "zod";
import type { CheckDefinition } from "../types";
import { failOnError, invert, not, requireText } from "./common";
import { checkPattern, compilePattern } from "./pattern-cache";

const parameters = z.strictObject({
  rule: z.string().min(1).superRefine(checkPattern),
  not,
  failOnError,
});

/**
 * Passes when the text matches `rule` (with `not`: when it does not, i.e. deny on a match). The pattern runs on the
 * linear-time engine, over the whole text. The matched text is never reported, only whether there was a match.
 */
export const regexMatch: CheckDefinition<typeof parameters> = {
  id: "default.regexMatch",
  parameters,
  phases: ["input", "output"],
  streamable: true,
  // A prefix can only prove a match; that decides the check only when a match means failure.
  streamableWhen: (p) => p.not === true,
  run(context, p) {
    const matched = compilePattern(p.rule).test(requireText(context), { partial: context.partial });
    const verdict = context.partial && !matched ? true : invert(matched, p.not);
    return { verdict, data: { rule: p.rule, matched, not: p.not ?? false } };
  },
};
