import type { OpenAICompatibleProviderId } from "../../schema/provider-ids";
import { urlField } from "../shared/url-fields";
import { UnsupportedParameterError, type Operation, type ResolvedTarget } from "../types";
import { COMPATIBLE_PROVIDERS } from "./table";

const OPERATION_PATHS: Record<Operation, string> = {
  chat: "/chat/completions",
  completions: "/completions",
  embeddings: "/embeddings",
};

/** Azure's GA data-plane version; override per request with x-portkey-azure-api-version. */
export const AZURE_DEFAULT_API_VERSION = "2024-10-21";

function azureUrl(target: ResolvedTarget, operation: Operation, model: string): string {
  const azure = target.azure ?? {};
  const resource =
    azure.resourceName && urlField("azureResourceName", azure.resourceName, "x-portkey-azure-resource-name");
  const host = target.customHost ?? (resource ? `https://${resource}.openai.azure.com` : null);
  if (!host) {
    throw new UnsupportedParameterError(
      "x-portkey-azure-resource-name",
      "azure-openai needs a resource name (x-portkey-azure-resource-name or azure_resource_name in the config) or a custom_host",
    );
  }
  // Without a deployment id the model names the deployment, so it is held to the same pattern.
  const deployment = azure.deploymentId
    ? urlField("azureDeploymentId", azure.deploymentId, "x-portkey-azure-deployment-id")
    : urlField("azureDeploymentId", model, "model");
  const version = azure.apiVersion
    ? urlField("azureApiVersion", azure.apiVersion, "x-portkey-azure-api-version")
    : AZURE_DEFAULT_API_VERSION;
  return `${host}/openai/deployments/${deployment}${OPERATION_PATHS[operation]}?api-version=${version}`;
}

/** Azure AI Foundry model inference: one endpoint per resource, the deployment chosen by the body's `model`. */
function azureAiUrl(target: ResolvedTarget, operation: Operation): string {
  const azure = target.azure ?? {};
  const resource =
    azure.resourceName && urlField("azureResourceName", azure.resourceName, "x-portkey-azure-resource-name");
  const host = target.customHost ?? (resource ? `https://${resource}.services.ai.azure.com/models` : null);
  if (!host) {
    throw new UnsupportedParameterError(
      "x-portkey-azure-resource-name",
      "azure-ai needs a resource name (x-portkey-azure-resource-name) or a custom_host",
    );
  }
  const query = azure.apiVersion
    ? `api-version=${urlField("azureApiVersion", azure.apiVersion, "x-portkey-azure-api-version")}`
    : COMPATIBLE_PROVIDERS["azure-ai"].query;
  return `${host}${OPERATION_PATHS[operation]}?${query}`;
}

export function compatibleUrl(
  provider: OpenAICompatibleProviderId,
  target: ResolvedTarget,
  operation: Operation,
  model: string,
): string {
  if (provider === "azure-openai") return azureUrl(target, operation, model);
  if (provider === "azure-ai") return azureAiUrl(target, operation);
  const base = target.customHost ?? COMPATIBLE_PROVIDERS[provider].baseUrl;
  if (!base) {
    throw new UnsupportedParameterError("x-portkey-custom-host", `provider "${provider}" needs a custom_host`);
  }
  return base + OPERATION_PATHS[operation];
}

export function compatibleHeaders(
  provider: OpenAICompatibleProviderId,
  target: ResolvedTarget,
): Record<string, string> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (!target.apiKey) return headers;
  if (COMPATIBLE_PROVIDERS[provider].auth === "api-key") headers["api-key"] = target.apiKey;
  else headers.authorization = `Bearer ${target.apiKey}`;
  return headers;
}
