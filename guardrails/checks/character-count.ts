import * as z from "zod";
import type { CheckDefinition } from "../types";
import { count, failOnError, not, orderedRange, rangeVerdict, requireText } from "./common";

const parameters = z
  .strictObject({ minCharacters: count.default(0), maxCharacters: count.default(9_999_999), not, failOnError })
  .superRefine(orderedRange("minCharacters", "maxCharacters"));

/** Passes when the length (UTF-16 code units, as Portkey's `text.length`) is within the range (with `not`: outside). */
export const characterCount: CheckDefinition<typeof parameters> = {
  id: "default.characterCount",
  parameters,
  phases: ["input", "output"],
  streamable: true,
  streamableWhen: (p) => p.not !== true,
  run(context, p) {
    const characters = requireText(context).length;
    const range = { min: p.minCharacters, max: p.maxCharacters, not: p.not };
    return {
      verdict: rangeVerdict(characters, range, context.partial),
      data: {
        characterCount: characters,
        minCharacters: p.minCharacters,
        maxCharacters: p.maxCharacters,
        not: p.not ?? false,
      },
    };
  },
};
