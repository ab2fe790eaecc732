import * as z from "zod";
import { pageQuerySchema } from "./admin";
import { ADMIN_SCOPES } from "./db/admin-keys";

/** Bodies and queries of /admin/admin-keys (src/admin/admin-keys.ts). */

const nameSchema = z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters");

const scopesSchema = z
  .array(z.enum(ADMIN_SCOPES, { error: `expected one of ${ADMIN_SCOPES.join(", ")}` }))
  .min(1, `must not be empty (one or more of ${ADMIN_SCOPES.join(", ")})`)
  .max(ADMIN_SCOPES.length, `must have at most ${ADMIN_SCOPES.length} entries`)
  .refine((scopes) => new Set(scopes).size === scopes.length, "must not repeat a scope");

const isoDateSchema = z.iso
  .datetime({ offset: true, error: "expected an ISO 8601 date-time, e.g. 2026-12-31T23:59:59Z" })
  .transform((value) => new Date(value));

export const createAdminKeyBodySchema = z.strictObject({
  name: nameSchema,
  scopes: scopesSchema,
  /** null or absent: the key does not expire (revoke it to stop it). */
  expires_at: isoDateSchema.nullable().optional(),
});

export const listAdminKeysQuerySchema = pageQuerySchema.extend({
  include_revoked: z.enum(["true", "false"]).default("false"),
});

export type CreateAdminKeyBody = z.infer<typeof createAdminKeyBodySchema>;
