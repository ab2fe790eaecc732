import * as z from "zod";
import type { CheckDefinition } from "../types";
import { count, failOnError, not, orderedRange, rangeVerdict, requireText } from "./common";

const parameters = z
  .strictObject({ minWords: count.default(0), maxWords: count.default(99_999), not, failOnError })
  .superRefine(orderedRange("minWords", "maxWords"));

/** Words: runs of non-whitespace. A word cut by a chunk boundary counts once either way, so prefixes never overcount. */
export function countWords(text: string): number {
  const trimmed = text.trim();
  return trimmed === "" ? 0 : trimmed.split(/\s+/).length;
}

/** Passes when the word count is within [minWords, maxWords] (with `not`: outside it). */
export const wordCount: CheckDefinition<typeof parameters> = {
  id: "default.wordCount",
  parameters,
  phases: ["input", "output"],
  streamable: true,
  streamableWhen: (p) => p.not !== true,
  run(context, p) {
    const words = countWords(requireText(context));
    const verdict = rangeVerdict(words, { min: p.minWords, max: p.maxWords, not: p.not }, context.partial);
    return { verdict, data: { wordCount: words, minWords: p.minWords, maxWords: p.maxWords, not: p.not ?? false } };
  },
};
