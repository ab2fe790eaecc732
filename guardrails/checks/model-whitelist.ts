import { CheckError } from "../check-error";
import * as z from "zod";
import type { CheckContext, CheckDefinition } from "../types";
import { failOnError, invert, not } from "./common";

const metadataRule = z.strictObject({
  metadataKey: z.string().min(1),
  values: z.array(z.string()).min(1),
  models: z.array(z.string().min(1)).min(1),
});

const parameters = z
  .strictObject({
    models: z.array(z.string().min(1)).min(1).optional(),
    /** Portkey's per-metadata lists: when a rule's key has one of its values, its models are the allowed ones. */
    metadataRules: z.array(metadataRule).max(64).optional(),
    not,
    failOnError,
  })
  .refine((p) => p.models !== undefined || (p.metadataRules?.length ?? 0) > 0, {
    path: ["models"],
    message: "expected a list of models (or metadataRules)",
  });

function requestedModel(context: CheckContext): string {
  const body = context.requestJson;
  const fromBody = typeof body === "object" && body !== null && "model" in body ? body.model : undefined;
  const model = context.model ?? (typeof fromBody === "string" ? fromBody : undefined);
  if (!model) throw new CheckError("the request names no model");
  return model;
}

/** Models the rules whose metadata matches allow; none matching falls back to `models`. */
function allowedModels(p: z.infer<typeof parameters>, metadata: Readonly<Record<string, string>>): string[] {
  const fromRules = new Set<string>();
  for (const rule of p.metadataRules ?? []) {
    const value = metadata[rule.metadataKey];
    if (value !== undefined && rule.values.includes(value)) for (const model of rule.models) fromRules.add(model);
  }
  return fromRules.size > 0 ? [...fromRules] : (p.models ?? []);
}

/** Passes when the request's model is in the allowed list (with `not`: when it is not). */
export const modelWhitelist: CheckDefinition<typeof parameters> = {
  id: "default.modelWhitelist",
  parameters,
  phases: ["input", "output"],
  run(context, p) {
    const model = requestedModel(context);
    const allowed = allowedModels(p, context.metadata);
    if (allowed.length === 0) throw new CheckError("no allowed models apply to this request");
    const listed = allowed.includes(model);
    return {
      verdict: invert(listed, p.not),
      data: { requestedModel: model, allowedModels: allowed, not: p.not ?? false },
    };
  },
};
