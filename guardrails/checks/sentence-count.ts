import * as z from "zod";
import type { CheckDefinition } from "../types";
import { count, failOnError, not, orderedRange, rangeVerdict, requireText } from "./common";

const parameters = z
  .strictObject({ minSentences: count.default(0), maxSentences: count.default(99_999), not, failOnError })
  .superRefine(orderedRange("minSentences", "maxSentences"));

const TERMINATORS = new Set([".", "!", "?"]);

/**
 * Sentences: runs of `.`, `!` or `?` (so "Wait..." or "Really?!" end one sentence, where Portkey would count each
 * mark). A run is counted when it starts, so a prefix never counts more than the whole text.
 */
export function countSentences(text: string): number {
  let sentences = 0;
  let previousWasTerminator = false;
  for (const ch of text) {
    const isTerminator = TERMINATORS.has(ch);
    if (isTerminator && !previousWasTerminator) sentences++;
    previousWasTerminator = isTerminator;
  }
  return sentences;
}

/** Passes when the sentence count is within [minSentences, maxSentences] (with `not`: outside it). */
export const sentenceCount: CheckDefinition<typeof parameters> = {
  id: "default.sentenceCount",
  parameters,
  phases: ["input", "output"],
  streamable: true,
  streamableWhen: (p) => p.not !== true,
  run(context, p) {
    const sentences = countSentences(requireText(context));
    const range = { min: p.minSentences, max: p.maxSentences, not: p.not };
    return {
      verdict: rangeVerdict(sentences, range, context.partial),
      data: {
        sentenceCount: sentences,
        minSentences: p.minSentences,
        maxSentences: p.maxSentences,
        not: p.not ?? false,
      },
    };
  },
};
