import * as z from "zod";

/** Bodies and queries of the admin API (src/admin). Config bodies are checked against schema/config.ts separately. */

/** Config ids are v4 UUIDs; slugs may never look like one, so `x-portkey-config: <ref>` is never ambiguous. */
export const CONFIG_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-_]{1,62}$/;

export const slugSchema = z
  .string()
  .regex(SLUG_PATTERN, "expected 2-63 characters of a-z, 0-9, '-' or '_', starting with a letter or digit")
  .refine((slug) => !CONFIG_ID_PATTERN.test(slug), "must not look like a config id (a UUID)");

const nameSchema = z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters");

/** Only "is it a JSON object" here: the routing schema judges the content, with paths rooted at `config`. */
const configJsonSchema = z.record(z.string(), z.unknown(), { error: "expected a config JSON object" });

export const createConfigBodySchema = z.strictObject({
  slug: slugSchema,
  name: nameSchema.optional(),
  config: configJsonSchema,
});

/** PUT: a full new version. */
export const replaceConfigBodySchema = z.strictObject({
  config: configJsonSchema,
  name: nameSchema.optional(),
});

/** PATCH: a new version when `config` is given; a `name` alone renames without a new version. */
export const patchConfigBodySchema = replaceConfigBodySchema
  .partial()
  .refine((body) => body.config !== undefined || body.name !== undefined, "expected `config` or `name`");

export const MAX_PAGE_SIZE = 100;

export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(20),
  cursor: z.string().min(1).optional(),
});

export const listConfigsQuerySchema = pageQuerySchema.extend({
  include_archived: z.enum(["true", "false"]).default("false"),
});

export const versionParamSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,8}$/, "expected a version number >= 1")
  .transform(Number);

export type CreateConfigBody = z.infer<typeof createConfigBodySchema>;
export type ReplaceConfigBody = z.infer<typeof replaceConfigBodySchema>;
export type PatchConfigBody = z.infer<typeof patchConfigBodySchema>;
export type PageQuery = z.infer<typeof pageQuerySchema>;
