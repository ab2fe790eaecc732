import * as z from "zod";
import type { CheckDefinition } from "../types";
import { failOnError, OPERATORS, operatorVerdict, requireText } from "./common";

const parameters = z.strictObject({
  words: z.array(z.string().min(1)).min(1).max(256),
  operator: z.enum(OPERATORS).default("any"),
  failOnError,
});

/**
 * Whether the text contains any, all or none of `words` (case-sensitive substrings, as in Portkey). Only counts
 * are reported, not which words were found.
 */
export const contains: CheckDefinition<typeof parameters> = {
  id: "default.contains",
  parameters,
  phases: ["input", "output"],
  streamable: true,
  // A word seen in a prefix stays in the answer: that proves `none` failed. `any` / `all` wait for the end.
  streamableWhen: (p) => p.operator === "none",
  run(context, p) {
    const text = requireText(context);
    const found = p.words.filter((word) => text.includes(word)).length;
    const verdict =
      context.partial && p.operator !== "none" ? true : operatorVerdict(p.operator, found, p.words.length);
    return { verdict, data: { operator: p.operator, found, total: p.words.length } };
  },
};
