import type { ProviderId } from "../../../schema/provider-ids";
import { urlFieldProblem, type UrlFieldKind } from "../../../schema/url-fields";
import { GatewayError, badRequest } from "../../errors";
import { checkCustomHost, customHostPolicy } from "../../lib/custom-host";
import type { ProviderCredential } from "../../vault/credential";
import { checkAwsCredential, type AwsCredentialInput } from "./aws-credential";
import { checkVertexCredential, type VertexCredentialInput } from "./vertex-credential";
import { checkWorkersAiCredential } from "./workers-ai-credential";

/** Fields of an admin body that make up a credential (create, or rotate after merging with the stored one). */
export interface CredentialInput extends AwsCredentialInput, VertexCredentialInput {
  api_key: string;
  custom_host?: string | null;
  azure_resource_name?: string | null;
  azure_deployment_id?: string | null;
  azure_api_version?: string | null;
  cloudflare_account_id?: string | null;
}

/** Azure fields become part of the upstream URL: the same patterns as headers and configs (schema/url-fields.ts). */
function checkedUrlField(value: string, field: string, kind: UrlFieldKind): string {
  const problem = urlFieldProblem(kind, value);
  if (problem) throw badRequest(`${field}: ${problem}`, field, "invalid_parameter");
  return value;
}

/**
 * Check a credential against its provider now, so a mistake is a 400 to the admin rather than a failure on every
 * request: custom_host must pass the same SSRF policy as request-time hosts, Azure needs a resource (or a host),
 * and providers without a fixed endpoint need a host.
 */
export function checkCredential(provider: ProviderId, input: CredentialInput, env: Env): ProviderCredential {
  const credential: ProviderCredential = { api_key: input.api_key };
  if (input.custom_host) {
    try {
      credential.custom_host = checkCustomHost(input.custom_host, customHostPolicy(env));
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
      throw badRequest(error.message, "custom_host", error.code);
    }
  }
  if (input.azure_resource_name)
    credential.azure_resource_name = checkedUrlField(
      input.azure_resource_name,
      "azure_resource_name",
      "azureResourceName",
    );
  if (input.azure_deployment_id)
    credential.azure_deployment_id = checkedUrlField(
      input.azure_deployment_id,
      "azure_deployment_id",
      "azureDeploymentId",
    );
  if (input.azure_api_version)
    credential.azure_api_version = checkedUrlField(input.azure_api_version, "azure_api_version", "azureApiVersion");
  if (provider === "azure-openai" && !credential.azure_resource_name && !credential.custom_host) {
    throw badRequest(
      "azure_resource_name: required for azure-openai (or a custom_host)",
      "azure_resource_name",
      "invalid_request",
    );
  }
  if (provider === "custom" && !credential.custom_host) {
    throw badRequest("custom_host: required for the custom provider", "custom_host", "invalid_request");
  }
  if (
    provider !== "azure-openai" &&
    provider !== "azure-ai" &&
    (credential.azure_resource_name || credential.azure_deployment_id || credential.azure_api_version)
  ) {
    throw badRequest(
      `azure_* options only apply to azure-openai, not ${provider}`,
      "azure_resource_name",
      "invalid_request",
    );
  }
  checkAwsCredential(provider, input, credential);
  checkVertexCredential(provider, input, credential);
  checkWorkersAiCredential(provider, input.cloudflare_account_id, credential);
  return credential;
}

/** Rotation: the new key, with each option either given (a value, or null to remove it) or kept from the old credential. */
export function mergeCredential(stored: ProviderCredential, input: CredentialInput): CredentialInput {
  const pick = (name: Exclude<keyof CredentialInput, "api_key">) =>
    input[name] === undefined ? stored[name] : input[name];
  return {
    api_key: input.api_key,
    custom_host: pick("custom_host"),
    azure_resource_name: pick("azure_resource_name"),
    azure_deployment_id: pick("azure_deployment_id"),
    azure_api_version: pick("azure_api_version"),
    aws_access_key_id: pick("aws_access_key_id"),
    aws_session_token: pick("aws_session_token"),
    aws_region: pick("aws_region"),
    vertex_project_id: pick("vertex_project_id"),
    vertex_region: pick("vertex_region"),
    cloudflare_account_id: pick("cloudflare_account_id"),
  };
}
