import * as z from "zod";
import type { CheckDefinition } from "../types";
import { failOnError, invert, not, requireText } from "./common";

const parameters = z.strictObject({ not, failOnError });

/**
 * Passes when no letter has the other case: a text equal to its own lower (upper) case form. Unlike Portkey's
 * ASCII-only test this covers every script with case ("É" is upper case); digits and punctuation never count.
 */
export const alllowercase: CheckDefinition<typeof parameters> = {
  id: "default.alllowercase",
  parameters,
  phases: ["input", "output"],
  run(context, p) {
    const text = requireText(context);
    const lower = text === text.toLowerCase();
    return { verdict: invert(lower, p.not), data: { allLowercase: lower, not: p.not ?? false } };
  },
};

export const alluppercase: CheckDefinition<typeof parameters> = {
  id: "default.alluppercase",
  parameters,
  phases: ["input", "output"],
  run(context, p) {
    const text = requireText(context);
    const upper = text === text.toUpperCase();
    return { verdict: invert(upper, p.not), data: { allUppercase: upper, not: p.not ?? false } };
  },
};
