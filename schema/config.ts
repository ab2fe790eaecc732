import { z } from "zod";
import { PROVIDER_IDS } from "./provider-ids";

/**
 * The Portkey-compatible config JSON (x-portkey-config). This issue supports a single target; strategies and
 * nested targets extend this schema in the routing engine.
 */
export const providerIdSchema = z.enum(PROVIDER_IDS, {
  error: (issue) => `unknown provider ${JSON.stringify(issue.input)}; valid providers: ${PROVIDER_IDS.join(", ")}`,
});

export const targetSchema = z.strictObject({
  provider: providerIdSchema.optional(),
  api_key: z.string().min(1).optional(),
  custom_host: z.string().min(1).optional(),
  override_params: z.record(z.string(), z.unknown()).optional(),
  request_timeout: z.number().int().positive().optional(),
  azure_resource_name: z.string().min(1).optional(),
  azure_deployment_id: z.string().min(1).optional(),
  azure_api_version: z.string().min(1).optional(),
});

export type TargetConfig = z.infer<typeof targetSchema>;
