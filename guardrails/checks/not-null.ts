import * as z from "zod";
import type { CheckDefinition } from "../types";
import { failOnError, invert, not } from "./common";

const parameters = z.strictObject({ not, failOnError });

/** Passes when there is text to judge (not empty or only whitespace); `not` inverts. Never throws on empty text. */
export const notNull: CheckDefinition<typeof parameters> = {
  id: "default.notNull",
  parameters,
  phases: ["input", "output"],
  run(context, p) {
    const present = context.text.trim() !== "";
    return { verdict: invert(present, p.not), data: { empty: !present, not: p.not ?? false } };
  },
};
