import * as z from "zod";
import { slugSchema } from "./admin";

/**
 * Bodies of /admin/guardrails. The body is the guardrail itself (a shorthand item such as
 * `{"default.regexMatch": {...}, "deny": true}` or a full-form hook `{"checks": [...], "deny": true}`) plus the
 * metadata fields below, which are taken out before the rest is validated by the config normaliser
 * (schema/guardrails.ts) against the check registry.
 */
const nameSchema = z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters");

export const GUARDRAIL_META_KEYS = ["slug", "name"] as const;

export const createGuardrailMetaSchema = z.looseObject({ slug: slugSchema, name: nameSchema.optional() });

/** PUT: a new version; `slug` cannot change (it is how configs refer to the guardrail). */
export const replaceGuardrailMetaSchema = z.looseObject({
  slug: z.never({ error: "the slug of a saved guardrail cannot change" }).optional(),
  name: nameSchema.optional(),
});

/** The body minus its metadata: what is validated and stored as the version's definition. */
export function guardrailDefinitionOf(body: Record<string, unknown>): Record<string, unknown> {
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (!(GUARDRAIL_META_KEYS as readonly string[]).includes(key)) rest[key] = value;
  }
  return rest;
}
