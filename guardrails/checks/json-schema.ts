import { Validator, type Schema } from "@cfworker/json-schema";
import * as z from "zod";
import type { CheckDefinition } from "../types";
import { failOnError, invert, not, requireText } from "./common";
import { jsonValuesIn } from "./json-in-text";
import { checkJsonSchema } from "./json-schema-guard";

const schemaParameter = z.record(z.string(), z.unknown()).superRefine((schema, ctx) => {
  checkJsonSchema(schema, "", (path, message) =>
    ctx.addIssue({ code: "custom", path: path.split(".").filter(Boolean), message }),
  );
});

const parameters = z.strictObject({ schema: schemaParameter, not, failOnError });

/** Validators by schema object: a config (and its parameters) is cached per isolate, so this compiles once. */
const validators = new WeakMap<object, Validator>();

function validatorFor(schema: Record<string, unknown>): Validator {
  let validator = validators.get(schema);
  if (!validator) {
    validator = new Validator(schema as Schema, "2020-12", false);
    validators.set(schema, validator);
  }
  return validator;
}

/**
 * Passes when a JSON value in the text (the whole text, a ``` block, or an object in prose) is valid against
 * `schema` (with `not`: when none is). No JSON at all fails. Errors report the instance path and the rule broken,
 * never the offending value.
 */
export const jsonSchema: CheckDefinition<typeof parameters> = {
  id: "default.jsonSchema",
  parameters,
  phases: ["input", "output"],
  run(context, p) {
    const values = jsonValuesIn(requireText(context));
    const validator = validatorFor(p.schema);
    let errors: { path: string; keyword: string }[] = [];
    let valid = false;
    for (const [i, value] of values.entries()) {
      const result = validator.validate(value);
      if (result.valid) {
        valid = true;
        break;
      }
      if (i === 0) errors = result.errors.slice(0, 10).map((e) => ({ path: e.instanceLocation, keyword: e.keyword }));
    }
    const data = { jsonFound: values.length > 0, valid, not: p.not ?? false };
    return {
      verdict: values.length > 0 && invert(valid, p.not),
      data: valid ? data : { ...data, validationErrors: errors },
    };
  },
};
