import * as z from "zod";
import { pageQuerySchema, slugSchema } from "./admin";
import { providerIdSchema } from "./config";
import { BUDGET_PERIODS } from "./db/keys";
import { urlFieldSchema } from "./url-fields";

/**
 * Bodies of the governance admin API (src/admin/keys.ts, src/admin/virtual-keys.ts). Limits are flat fields so a
 * PATCH can clear one with null; lists (allowed_*) are null for "no restriction", never empty (an empty list would
 * lock the key out by accident: disable it instead).
 */

const nameSchema = z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters");
const labelSchema = z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters");

const modelPatternSchema = z
  .string()
  .min(1, "must not be empty")
  .max(256, "must be at most 256 characters")
  .refine((model) => !model.slice(0, -1).includes("*"), "only a trailing * is supported (prefix match)");

const listOf = <T extends z.ZodType>(item: T) =>
  z.array(item).min(1, "must not be empty (use null to allow everything)").max(1_000, "must have at most 1000 entries");

const metadataSchema = z
  .record(z.string().min(1).max(128), z.string().max(1_024, "must be at most 1024 characters"), {
    error: "expected an object of string values",
  })
  .refine((metadata) => Object.keys(metadata).length <= 64, "must have at most 64 keys");

export const limitFields = {
  rpm: z.number().int().min(1).max(10_000_000).nullable(),
  tpm: z.number().int().min(1).max(10_000_000_000).nullable(),
  /** USD per period; integer nano-dollar accounting keeps it exact up to this bound. */
  budget_usd: z.number().min(0).max(1_000_000).nullable(),
  budget_period: z.enum(BUDGET_PERIODS),
};

const isoDateSchema = z.iso
  .datetime({ offset: true, error: "expected an ISO 8601 date-time, e.g. 2026-12-31T23:59:59Z" })
  .transform((value) => new Date(value));

/** A saved config's id or slug, or an inline config object (checked against the routing schema by the handler). */
const defaultConfigSchema = z.union([z.string().min(1).max(100), z.record(z.string(), z.unknown())], {
  error: "expected the id or slug of a saved config, or an inline config object",
});

const defaultGuardrailsSchema = z.strictObject({
  input: z.array(z.unknown()).max(16).optional(),
  output: z.array(z.unknown()).max(16).optional(),
});

const gatewayKeyFields = {
  name: nameSchema,
  user: labelSchema.nullable(),
  team: labelSchema.nullable(),
  metadata: metadataSchema,
  allowed_models: listOf(modelPatternSchema).nullable(),
  allowed_providers: listOf(providerIdSchema).nullable(),
  allowed_virtual_keys: listOf(slugSchema).nullable(),
  default_config: defaultConfigSchema.nullable(),
  /** Guardrails every request of the key gets (checked against the registry by the handler). */
  default_guardrails: defaultGuardrailsSchema.nullable(),
  expires_at: isoDateSchema.nullable(),
  /** Log this key's request and response bodies (true/false); null follows the LOG_BODIES var. */
  log_bodies: z.boolean().nullable(),
  ...limitFields,
};

export const createGatewayKeyBodySchema = z.strictObject({
  ...gatewayKeyFields,
  user: gatewayKeyFields.user.optional(),
  team: gatewayKeyFields.team.optional(),
  metadata: gatewayKeyFields.metadata.optional(),
  allowed_models: gatewayKeyFields.allowed_models.optional(),
  allowed_providers: gatewayKeyFields.allowed_providers.optional(),
  allowed_virtual_keys: gatewayKeyFields.allowed_virtual_keys.optional(),
  default_config: gatewayKeyFields.default_config.optional(),
  default_guardrails: gatewayKeyFields.default_guardrails.optional(),
  expires_at: gatewayKeyFields.expires_at.optional(),
  log_bodies: gatewayKeyFields.log_bodies.optional(),
  rpm: limitFields.rpm.optional(),
  tpm: limitFields.tpm.optional(),
  budget_usd: limitFields.budget_usd.optional(),
  budget_period: limitFields.budget_period.optional(),
});

export const patchGatewayKeyBodySchema = z
  .strictObject(gatewayKeyFields)
  .partial()
  .refine((body) => Object.keys(body).length > 0, "expected at least one field to change");

const providerOptionFields = {
  custom_host: z.string().min(1).max(2_048).optional(),
  // They become part of the upstream URL: the patterns every other way in uses (schema/url-fields.ts).
  azure_resource_name: urlFieldSchema("azureResourceName").optional(),
  azure_deployment_id: urlFieldSchema("azureDeploymentId").optional(),
  azure_api_version: urlFieldSchema("azureApiVersion").optional(),
  // Bedrock: with aws_access_key_id, api_key is the IAM secret access key (docs/providers.md).
  aws_access_key_id: z.string().min(1).max(128).optional(),
  aws_session_token: z.string().min(1).max(8_192).optional(),
  aws_region: urlFieldSchema("awsRegion").optional(),
  // Vertex AI: api_key is the service account's key file (docs/providers.md).
  vertex_project_id: urlFieldSchema("vertexProjectId").optional(),
  vertex_region: urlFieldSchema("vertexRegion").optional(),
  // Workers AI over REST: api_key is a Cloudflare API token, this the account it runs in.
  cloudflare_account_id: urlFieldSchema("cloudflareAccountId").optional(),
};

const apiKeySchema = z.string().min(1, "must not be empty").max(16_384, "must be at most 16384 characters");

export const createVirtualKeyBodySchema = z.strictObject({
  slug: slugSchema,
  name: nameSchema.optional(),
  provider: providerIdSchema,
  api_key: apiKeySchema,
  ...providerOptionFields,
  allowed_models: listOf(modelPatternSchema).nullable().optional(),
  rpm: limitFields.rpm.optional(),
  tpm: limitFields.tpm.optional(),
  budget_usd: limitFields.budget_usd.optional(),
  budget_period: limitFields.budget_period.optional(),
});

/** Everything but the credential; the credential and its destination change only together (rotate). */
export const patchVirtualKeyBodySchema = z
  .strictObject({
    name: nameSchema,
    allowed_models: listOf(modelPatternSchema).nullable(),
    ...limitFields,
  })
  .partial()
  .refine((body) => Object.keys(body).length > 0, "expected at least one field to change");

/** A new credential. Options left out keep their stored value; null removes one. */
export const rotateVirtualKeyBodySchema = z.strictObject({
  api_key: apiKeySchema,
  custom_host: providerOptionFields.custom_host.unwrap().nullable().optional(),
  azure_resource_name: providerOptionFields.azure_resource_name.unwrap().nullable().optional(),
  azure_deployment_id: providerOptionFields.azure_deployment_id.unwrap().nullable().optional(),
  azure_api_version: providerOptionFields.azure_api_version.unwrap().nullable().optional(),
  aws_access_key_id: providerOptionFields.aws_access_key_id.unwrap().nullable().optional(),
  aws_session_token: providerOptionFields.aws_session_token.unwrap().nullable().optional(),
  aws_region: providerOptionFields.aws_region.unwrap().nullable().optional(),
  vertex_project_id: providerOptionFields.vertex_project_id.unwrap().nullable().optional(),
  vertex_region: providerOptionFields.vertex_region.unwrap().nullable().optional(),
  cloudflare_account_id: providerOptionFields.cloudflare_account_id.unwrap().nullable().optional(),
});

export const listKeysQuerySchema = pageQuerySchema.extend({
  include_deleted: z.enum(["true", "false"]).default("false"),
});

export type CreateGatewayKeyBody = z.infer<typeof createGatewayKeyBodySchema>;
export type PatchGatewayKeyBody = z.infer<typeof patchGatewayKeyBodySchema>;
export type CreateVirtualKeyBody = z.infer<typeof createVirtualKeyBodySchema>;
export type PatchVirtualKeyBody = z.infer<typeof patchVirtualKeyBodySchema>;
export type RotateVirtualKeyBody = z.infer<typeof rotateVirtualKeyBodySchema>;
