import * as z from "zod";

/**
 * A Google Cloud service-account key file (the JSON `gcloud iam service-accounts keys create` writes). Only what
 * the token exchange needs is read. `token_uri` is deliberately ignored: the assertion is a bearer credential for
 * the account, so it only ever goes to Google's fixed token endpoint (or the target's checked custom_host).
 */
export interface ServiceAccount {
  clientEmail: string;
  /** PEM, PKCS#8 ("-----BEGIN PRIVATE KEY-----"). */
  privateKey: string;
  privateKeyId?: string;
  projectId?: string;
}

const serviceAccountSchema = z.looseObject({
  type: z.literal("service_account").optional(),
  client_email: z.string().min(3).max(320),
  private_key: z.string().min(64).max(8_192).includes("PRIVATE KEY-----", { error: "expected a PEM private key" }),
  private_key_id: z.string().min(1).max(256).optional(),
  project_id: z.string().min(1).max(128).optional(),
});

/** Why a service-account JSON is unusable, in words that never quote its values (they hold the private key). */
export class ServiceAccountError extends Error {
  override readonly name = "ServiceAccountError";
}

function toJson(input: unknown): unknown {
  if (typeof input !== "string") return input;
  try {
    return JSON.parse(input);
  } catch {
    throw new ServiceAccountError("is not valid JSON (expected the service account's key file)");
  }
}

/** A key file as text (a header, a stored credential) or as an object (a config): checked, never echoed. */
export function parseServiceAccount(input: unknown): ServiceAccount {
  const parsed = serviceAccountSchema.safeParse(toJson(input));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join(".") || "(root)";
    // Only the field's name and zod's generic message: the value may be the private key itself.
    throw new ServiceAccountError(`is not a service-account key file (${field}: ${issue?.message ?? "invalid"})`);
  }
  const { client_email, private_key, private_key_id, project_id } = parsed.data;
  const account: ServiceAccount = { clientEmail: client_email, privateKey: private_key };
  if (private_key_id) account.privateKeyId = private_key_id;
  if (project_id) account.projectId = project_id;
  return account;
}

/** Whether a credential string is a key file rather than an OAuth access token: key files are JSON objects. */
export function looksLikeServiceAccountJson(value: string): boolean {
  return value.trimStart().startsWith("{");
}
