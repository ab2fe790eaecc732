import { PROVIDER_IDS, isProviderId, type ProviderId } from "../../schema/provider-ids";
import { targetSchema, type TargetConfig } from "../../schema/config";
import type { ResolvedTarget } from "../../providers/types";
import { COMPATIBLE_PROVIDERS } from "../../providers/openai-compatible/table";
import type { AppContext } from "../context";
import { badRequest } from "../errors";
import { describeIssue } from "./body";
import { checkCustomHost, customHostPolicy } from "./custom-host";

/** One resolved target plus what it changes about the request. The routing engine produces these. */
export interface RoutedTarget {
  target: ResolvedTarget;
  overrideParams?: Record<string, unknown>;
  /** Per-attempt timeout to first byte, ms. */
  requestTimeoutMs?: number;
}

function parseInlineConfig(raw: string): TargetConfig {
  if (!raw.trimStart().startsWith("{")) {
    throw badRequest(`config ${JSON.stringify(raw)} not found: saved configs are not available`, "x-portkey-config", "config_not_found");
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw badRequest("x-portkey-config is not valid JSON", "x-portkey-config", "invalid_config");
  }
  const result = targetSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const { message } = issue ? describeIssue(issue, "config") : { message: "config: invalid" };
    throw badRequest(message, "x-portkey-config", "invalid_config");
  }
  return result.data;
}

function providerFrom(config: TargetConfig, header: string | undefined): ProviderId {
  if (config.provider) return config.provider;
  if (header === undefined || header === "") {
    throw badRequest("no provider selected: set x-portkey-provider or an x-portkey-config target", "x-portkey-provider");
  }
  const slug = header.toLowerCase();
  if (!isProviderId(slug)) {
    throw badRequest(`unknown provider "${header}"; valid providers: ${PROVIDER_IDS.join(", ")}`, "x-portkey-provider", "unknown_provider");
  }
  return slug;
}

function bearerToken(header: string | undefined): string | undefined {
  const match = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
  return match?.[1]?.trim();
}

function parseTimeout(header: string | undefined, fromConfig: number | undefined): number | undefined {
  if (header === undefined) return fromConfig;
  const ms = Number(header);
  if (!Number.isInteger(ms) || ms <= 0) {
    throw badRequest("x-portkey-request-timeout must be a positive integer (milliseconds)", "x-portkey-request-timeout");
  }
  return ms;
}

/** Resolve the single target of this request from x-portkey-* headers and an inline config. */
export function resolveTarget(c: AppContext): RoutedTarget {
  const header = (name: string) => c.req.header(name);
  const configHeader = header("x-portkey-config");
  const config: TargetConfig = configHeader ? parseInlineConfig(configHeader) : {};
  const provider = providerFrom(config, header("x-portkey-provider"));
  const target: ResolvedTarget = { provider };
  const apiKey = config.api_key ?? bearerToken(header("authorization"));
  if (apiKey) target.apiKey = apiKey;

  const rawHost = config.custom_host ?? header("x-portkey-custom-host");
  // Ollama's default base URL is loopback: it answers to the same policy as a caller-chosen host.
  const policedHost = rawHost ?? (provider === "ollama" ? COMPATIBLE_PROVIDERS.ollama.baseUrl : null);
  if (policedHost) target.customHost = checkCustomHost(policedHost, customHostPolicy(c.env));

  if (provider === "azure-openai") {
    target.azure = {
      resourceName: config.azure_resource_name ?? header("x-portkey-azure-resource-name"),
      deploymentId: config.azure_deployment_id ?? header("x-portkey-azure-deployment-id"),
      apiVersion: config.azure_api_version ?? header("x-portkey-azure-api-version"),
    };
  }
  const routed: RoutedTarget = { target };
  if (config.override_params) routed.overrideParams = config.override_params;
  const timeout = parseTimeout(header("x-portkey-request-timeout"), config.request_timeout);
  if (timeout !== undefined) routed.requestTimeoutMs = timeout;
  return routed;
}
