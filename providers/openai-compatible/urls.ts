import type { OpenAICompatibleProviderId } from "../../schema/provider-ids";
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
  const host = target.customHost ?? (azure.resourceName ? `https://${azure.resourceName}.openai.azure.com` : null);
  if (!host) {
    throw new UnsupportedParameterError(
      "x-portkey-azure-resource-name",
      "azure-openai needs a resource name (x-portkey-azure-resource-name or azure_resource_name in the config) or a custom_host",
    );
  }
  const deployment = encodeURIComponent(azure.deploymentId ?? model);
  const version = encodeURIComponent(azure.apiVersion ?? AZURE_DEFAULT_API_VERSION);
  return `${host}/openai/deployments/${deployment}${OPERATION_PATHS[operation]}?api-version=${version}`;
}

export function compatibleUrl(
  provider: OpenAICompatibleProviderId,
  target: ResolvedTarget,
  operation: Operation,
  model: string,
): string {
  if (provider === "azure-openai") return azureUrl(target, operation, model);
  const base = target.customHost ?? COMPATIBLE_PROVIDERS[provider].baseUrl;
  if (!base) {
    throw new UnsupportedParameterError("x-portkey-custom-host", `provider "${provider}" needs a custom_host`);
  }
  return base + OPERATION_PATHS[operation];
}

export function compatibleHeaders(provider: OpenAICompatibleProviderId, target: ResolvedTarget): Record<string, string> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (!target.apiKey) return headers;
  if (COMPATIBLE_PROVIDERS[provider].auth === "api-key") headers["api-key"] = target.apiKey;
  else headers.authorization = `Bearer ${target.apiKey}`;
  return headers;
}
