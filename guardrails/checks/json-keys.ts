import * as z from "zod";
import type { CheckDefinition } from "../types";
import { failOnError, OPERATORS, operatorVerdict, requireText } from "./common";
import { isJsonObject, jsonValuesIn } from "./json-in-text";

const parameters = z.strictObject({
  keys: z.array(z.string().min(1)).min(1).max(256),
  operator: z.enum(OPERATORS).default("any"),
  failOnError,
});

/**
 * Passes when a JSON object in the text has any, all or none of `keys` at its top level. Several objects: it
 * passes when one of them does (as Portkey). No JSON object at all: fails.
 */
export const jsonKeys: CheckDefinition<typeof parameters> = {
  id: "default.jsonKeys",
  parameters,
  phases: ["input", "output"],
  run(context, p) {
    const objects = jsonValuesIn(requireText(context)).filter(isJsonObject);
    let best = { verdict: false, present: [] as string[] };
    for (const object of objects) {
      const present = p.keys.filter((key) => Object.hasOwn(object, key));
      const verdict = operatorVerdict(p.operator, present.length, p.keys.length);
      if (verdict || present.length > best.present.length) best = { verdict, present };
      if (verdict) break;
    }
    const missing = p.keys.filter((key) => !best.present.includes(key));
    return {
      verdict: best.verdict,
      data: { operator: p.operator, jsonFound: objects.length > 0, presentKeys: best.present, missingKeys: missing },
    };
  },
};
