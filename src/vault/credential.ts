/**
 * The provider credential a virtual key stores, as the JSON that gets encrypted: the key and the options that say
 * where it may be sent. They are sealed together, so the destination of a stored key can only change together with
 * the key (POST .../rotate): an admin token alone cannot redirect an existing provider key to another host.
 */
export interface ProviderCredential {
  api_key: string;
  custom_host?: string;
  azure_resource_name?: string;
  azure_deployment_id?: string;
  azure_api_version?: string;
  /** Bedrock: with it, api_key is the IAM secret access key and requests are SigV4-signed. */
  aws_access_key_id?: string;
  aws_session_token?: string;
  aws_region?: string;
  /** Vertex AI: api_key is the service account's key file (JSON) or an access token. */
  vertex_project_id?: string;
  vertex_region?: string;
  /** Workers AI: api_key is a Cloudflare API token for this account (the REST path). */
  cloudflare_account_id?: string;
}

export const CREDENTIAL_OPTIONS = [
  "custom_host",
  "azure_resource_name",
  "azure_deployment_id",
  "azure_api_version",
  "aws_access_key_id",
  "aws_session_token",
  "aws_region",
  "vertex_project_id",
  "vertex_region",
  "cloudflare_account_id",
] as const;
export type CredentialOption = (typeof CREDENTIAL_OPTIONS)[number];

/** Names of the options set, for the admin API (which shows that an option is set, not its value). */
export function optionNames(credential: ProviderCredential): CredentialOption[] {
  return CREDENTIAL_OPTIONS.filter((name) => credential[name] !== undefined);
}

/** A decrypted payload; anything unexpected means a corrupted row, which must fail rather than half-work. */
export function parseCredential(text: string): ProviderCredential {
  const json: unknown = JSON.parse(text);
  if (typeof json !== "object" || json === null || !("api_key" in json) || typeof json.api_key !== "string") {
    throw new Error("stored credential has no api_key");
  }
  const record = json as Record<string, unknown>;
  const credential: ProviderCredential = { api_key: json.api_key };
  for (const name of CREDENTIAL_OPTIONS) {
    const value = record[name];
    if (typeof value === "string") credential[name] = value;
  }
  return credential;
}

/** `****abcd` for keys long enough that 4 characters give nothing away; `****` otherwise. */
export function secretHint(apiKey: string): string {
  return apiKey.length >= 16 ? `****${apiKey.slice(-4)}` : "****";
}
