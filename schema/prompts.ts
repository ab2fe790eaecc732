import * as z from "zod";
import { slugSchema } from "./admin";

/**
 * Bodies of the prompt registry's admin API (/admin/prompts) and of POST /v1/prompts/{id}/completions|render.
 * A version is immutable once saved: messages (Mustache text), an optional model, chat params, routing and
 * the variables it takes. Routing configs are checked against schema/config.ts separately (no credentials).
 */

/** Label names: the three defaults and custom ones, shaped like slugs (they appear after `@` in prompt ids). */
export const LABEL_PATTERN = /^[a-z][a-z0-9-_]{0,62}$/;
export const DEFAULT_LABELS = ["production", "staging", "development"] as const;
/** `@latest` always means the newest version, so no label may take the name. */
export const RESERVED_LABELS = ["latest"] as const;

export const labelNameSchema = z
  .string()
  .regex(LABEL_PATTERN, "expected 1-63 characters of a-z, 0-9, '-' or '_', starting with a letter")
  .refine((name) => !(RESERVED_LABELS as readonly string[]).includes(name), "`latest` is reserved");

/** An OpenAI chat message whose text may use Mustache; other fields (name, tool_calls, ...) pass through. */
const contentPartSchema = z.looseObject({ type: z.string().min(1), text: z.string().optional() });
const messageSchema = z.looseObject({
  role: z.enum(["system", "developer", "user", "assistant", "tool"]),
  content: z
    .union([z.string(), z.array(contentPartSchema)])
    .nullable()
    .optional(),
});

export const VARIABLE_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;

const variableSchema = z.strictObject({
  name: z
    .string()
    .regex(VARIABLE_NAME_PATTERN, "expected a name of letters, digits, '_' or '-' (not starting with a digit)"),
  /** Any JSON: strings for `{{var}}`, booleans or lists for sections. */
  default: z.unknown().optional(),
  required: z.boolean().optional(),
});

/** Chat parameters a version sets; `messages` come from the template and `stream` from each request. */
const paramsSchema = z
  .record(z.string(), z.unknown())
  .refine((params) => !("messages" in params), {
    message: "must not contain `messages` (the template holds them)",
    path: ["messages"],
  })
  .refine((params) => !("stream" in params), {
    message: "must not contain `stream` (each request chooses)",
    path: ["stream"],
  });

const versionFields = {
  messages: z.array(messageSchema).min(1, "expected at least one message").max(200),
  model: z.string().min(1).max(256).optional(),
  params: paramsSchema.optional(),
  /** Routing: a virtual key's slug, or a config (a saved config's id or slug, or an inline config JSON). */
  virtual_key: z.string().min(1).max(128).optional(),
  config: z.union([z.string().min(1).max(128), z.record(z.string(), z.unknown())]).optional(),
  variables: z.array(variableSchema).max(100).optional(),
};

const nameSchema = z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters");
const descriptionSchema = z.string().max(2000, "must be at most 2000 characters");

const oneRoute = (body: { virtual_key?: string; config?: unknown }) =>
  body.virtual_key === undefined || body.config === undefined;
const ROUTE_ISSUE = { message: "give `virtual_key` or `config`, not both", path: ["config"] };

export const createPromptBodySchema = z
  .strictObject({
    slug: slugSchema,
    name: nameSchema.optional(),
    description: descriptionSchema.optional(),
    ...versionFields,
  })
  .refine(oneRoute, ROUTE_ISSUE);

/** PUT /admin/prompts/{slug}: a new version (name and description may change with it). */
export const updatePromptBodySchema = z
  .strictObject({ name: nameSchema.optional(), description: descriptionSchema.optional(), ...versionFields })
  .refine(oneRoute, ROUTE_ISSUE);

const versionNumber = z.number().int().min(1).max(999_999_999);

/** PUT /admin/prompts/{slug}/labels/{label}: one version, or a weighted split between versions. */
export const labelBodySchema = z
  .strictObject({
    version: versionNumber.optional(),
    versions: z
      .array(z.strictObject({ version: versionNumber, weight: z.number().min(0).max(1_000_000) }))
      .min(1)
      .max(20)
      .refine((split) => split.some((entry) => entry.weight > 0), "at least one weight must be above 0")
      .refine(
        (split) => new Set(split.map((entry) => entry.version)).size === split.length,
        "each version at most once",
      )
      .optional(),
  })
  .refine((body) => (body.version === undefined) !== (body.versions === undefined), "expected `version` or `versions`");

/** The request body of /v1/prompts/{id}/completions and /render: variables, plus any chat parameter. */
export const promptRunBodySchema = z.looseObject({
  variables: z.record(z.string(), z.unknown(), { error: "expected an object of variable values" }).optional(),
  stream: z.boolean().optional(),
});

export type PromptVersionFields = z.infer<z.ZodObject<typeof versionFields>>;
export type CreatePromptBody = z.infer<typeof createPromptBodySchema>;
export type UpdatePromptBody = z.infer<typeof updatePromptBodySchema>;
export type LabelBody = z.infer<typeof labelBodySchema>;
export type PromptMessage = z.infer<typeof messageSchema>;
export type PromptVariable = z.infer<typeof variableSchema>;
