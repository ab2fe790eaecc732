import * as z from "zod";
import type { CheckDefinition } from "../types";
import { failOnError, invert, not, requireText } from "./common";

const parameters = z.strictObject({ suffix: z.string().min(1), not, failOnError });

/** Passes when the text ends with `suffix`, or with `suffix` and a final period (as Portkey); `not` inverts. */
export const endsWith: CheckDefinition<typeof parameters> = {
  id: "default.endsWith",
  parameters,
  phases: ["input", "output"],
  run(context, p) {
    const text = requireText(context);
    const ends = text.endsWith(p.suffix) || text.endsWith(`${p.suffix}.`);
    return { verdict: invert(ends, p.not), data: { endsWith: ends, not: p.not ?? false } };
  },
};
