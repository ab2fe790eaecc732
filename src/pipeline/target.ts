import { PROVIDER_IDS, isProviderId, type ProviderId } from "../../schema/provider-ids";
import type { RetryConfig } from "../../schema/config";
import type { AzureOptions, ResolvedTarget } from "../../providers/types";
import { COMPATIBLE_PROVIDERS } from "../../providers/openai-compatible/table";
import type { AppContext } from "../context";
import { GatewayError, badRequest } from "../errors";
import { breakerKey } from "../routing/breaker/key";
import type { BreakerSettings } from "../routing/breaker/state";
import type { LeafSpec } from "../routing/inherit";
import { checkCustomHost, customHostPolicy } from "./custom-host";

/** One resolved target plus what it changes about the request: what attempt() needs for one call. */
export interface RoutedTarget {
  target: ResolvedTarget;
  overrideParams?: Record<string, unknown>;
  /** Per-attempt timeout to first byte, ms. */
  requestTimeoutMs?: number;
}

/** A config leaf, ready to run: where it sits, whom to call, and how to retry and guard it. */
export interface ResolvedLeaf {
  path: string;
  provider: ProviderId;
  routed: RoutedTarget;
  retry?: RetryConfig;
  /** Null when the request has a single target: with nothing to fall back to, a breaker could only turn it away. */
  breaker: { key: string; settings: BreakerSettings } | null;
}

/**
 * What the x-portkey-* headers contribute. Without a config they describe the only target; with one they are
 * defaults under every target's own fields (as today's single-target inline config behaved).
 */
export interface HeaderDefaults {
  provider?: string;
  apiKey?: string;
  customHost?: string;
  azure: AzureOptions;
  /** x-portkey-request-timeout: overrides every target's request_timeout. */
  requestTimeoutMs?: number;
}

function bearerToken(header: string | undefined): string | undefined {
  const match = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
  return match?.[1]?.trim();
}

function parseTimeout(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const ms = Number(header);
  if (!Number.isInteger(ms) || ms <= 0) {
    throw badRequest("x-portkey-request-timeout must be a positive integer (milliseconds)", "x-portkey-request-timeout");
  }
  return ms;
}

export function headerDefaults(c: AppContext): HeaderDefaults {
  const header = (name: string) => c.req.header(name);
  const defaults: HeaderDefaults = {
    azure: {
      resourceName: header("x-portkey-azure-resource-name"),
      deploymentId: header("x-portkey-azure-deployment-id"),
      apiVersion: header("x-portkey-azure-api-version"),
    },
  };
  const provider = header("x-portkey-provider");
  const apiKey = bearerToken(header("authorization"));
  const customHost = header("x-portkey-custom-host");
  const timeout = parseTimeout(header("x-portkey-request-timeout"));
  if (provider) defaults.provider = provider;
  if (apiKey) defaults.apiKey = apiKey;
  if (customHost) defaults.customHost = customHost;
  if (timeout !== undefined) defaults.requestTimeoutMs = timeout;
  return defaults;
}

function providerOf(spec: LeafSpec, header: string | undefined, hasConfig: boolean): ProviderId {
  if (spec.node.provider) return spec.node.provider;
  if (header === undefined || header === "") {
    const where = hasConfig ? `no provider for ${spec.path}: set provider on it, or` : "no provider selected:";
    throw badRequest(`${where} set x-portkey-provider${hasConfig ? "" : " or an x-portkey-config target"}`, "x-portkey-provider");
  }
  const slug = header.toLowerCase();
  if (!isProviderId(slug)) {
    throw badRequest(`unknown provider "${header}"; valid providers: ${PROVIDER_IDS.join(", ")}`, "x-portkey-provider", "unknown_provider");
  }
  return slug;
}

/** Police the base URL; a refused host from a config names the target it belongs to. */
function policedHost(raw: string, fromConfig: boolean, path: string, env: Env): string {
  try {
    return checkCustomHost(raw, customHostPolicy(env));
  } catch (error) {
    if (!fromConfig || !(error instanceof GatewayError)) throw error;
    throw new GatewayError(400, `${path}.custom_host: ${error.message}`, { param: error.param, code: error.code });
  }
}

export interface ResolveOptions {
  hasConfig: boolean;
  breakers: boolean;
}

/**
 * Resolve one config leaf against the headers and the environment. Every leaf is resolved before the first call,
 * so a broken target answers 400 deterministically, whichever target a strategy would have picked.
 */
export async function resolveLeaf(spec: LeafSpec, defaults: HeaderDefaults, env: Env, options: ResolveOptions): Promise<ResolvedLeaf> {
  const { node, settings, path } = spec;
  if (node.virtual_key !== undefined) {
    throw badRequest(`${path}.virtual_key: virtual keys are not available yet`, "x-portkey-config", "virtual_keys_unavailable");
  }
  const provider = providerOf(spec, defaults.provider, options.hasConfig);
  const target: ResolvedTarget = { provider };
  const apiKey = node.api_key ?? defaults.apiKey;
  if (apiKey) target.apiKey = apiKey;

  const rawHost = settings.customHost ?? defaults.customHost;
  // Ollama's default base URL is loopback: it answers to the same policy as a caller-chosen host.
  const host = rawHost ?? (provider === "ollama" ? COMPATIBLE_PROVIDERS.ollama.baseUrl : null);
  if (host) target.customHost = policedHost(host, settings.customHost !== undefined, path, env);

  if (provider === "azure-openai") {
    target.azure = {
      resourceName: node.azure_resource_name ?? defaults.azure.resourceName,
      deploymentId: node.azure_deployment_id ?? defaults.azure.deploymentId,
      apiVersion: node.azure_api_version ?? defaults.azure.apiVersion,
    };
  }
  const routed: RoutedTarget = { target };
  if (Object.keys(settings.overrideParams).length > 0) routed.overrideParams = settings.overrideParams;
  const timeout = defaults.requestTimeoutMs ?? settings.requestTimeout;
  if (timeout !== undefined) routed.requestTimeoutMs = timeout;

  const leaf: ResolvedLeaf = {
    path,
    provider,
    routed,
    breaker: options.breakers ? { key: await breakerKey(target), settings: settings.breaker } : null,
  };
  if (settings.retry) leaf.retry = settings.retry;
  return leaf;
}
