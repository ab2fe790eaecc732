import { PROVIDER_IDS, isProviderId, type ProviderId } from "../../schema/provider-ids";
import { MAX_REQUEST_TIMEOUT_MS } from "../../schema/config";
import { urlFieldProblem, type UrlFieldKind } from "../../schema/url-fields";
import type { ResolvedTarget } from "../../providers/types";
import { COMPATIBLE_PROVIDERS } from "../../providers/openai-compatible/table";
import type { AppContext } from "../context";
import { GatewayError, badRequest } from "../errors";
import { callerOf } from "../governance/caller";
import { looksLikeGatewayKey } from "../governance/keys/format";
import type { VirtualKeyResolver } from "../governance/request";
import { virtualKeyRef, virtualTarget, type VirtualKeyRef } from "../governance/virtual-target";
import { breakerKey } from "../routing/breaker/key";
import type { LeafSpec } from "../routing/inherit";
import type { HeaderDefaults, RoutedTarget } from "../routing/targets";
import type { ResolvedLeaf } from "../governance/leaf";
import type { VirtualKeyRecord } from "../governance/records";
import { checkCustomHost, customHostPolicy } from "../lib/custom-host";
import { forwardedHeaders, parseForwardList } from "./forward-headers";
import { awsFromHeaders, awsOptionsOf } from "../routing/aws-options";
import { vertexFromHeaders, vertexOptionsOf } from "../routing/vertex-options";

function bearerToken(header: string | undefined): string | undefined {
  const match = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
  return match?.[1]?.trim();
}

/** Decimal digits only: Number() would also take "0x10", "1e3" or "16.0". */
function parseTimeout(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const ms = /^[1-9][0-9]{0,8}$/.test(header) ? Number(header) : Number.NaN;
  if (!(ms <= MAX_REQUEST_TIMEOUT_MS)) {
    throw badRequest(
      `x-portkey-request-timeout: must be a whole number of milliseconds from 1 to ${MAX_REQUEST_TIMEOUT_MS}, in decimal digits`,
      "x-portkey-request-timeout",
      "invalid_parameter",
    );
  }
  return ms;
}

/** An x-portkey-azure-* header, held to the pattern of what it becomes in the URL (schema/url-fields.ts). */
function azureHeader(c: AppContext, name: string, kind: UrlFieldKind): string | undefined {
  const value = c.req.header(name);
  const problem = value ? urlFieldProblem(kind, value) : null;
  if (problem) throw badRequest(`${name}: ${problem}`, name, "invalid_parameter");
  return value;
}

export function headerDefaults(c: AppContext): HeaderDefaults {
  const header = (name: string) => c.req.header(name);
  const defaults: HeaderDefaults = {
    azure: {
      resourceName: azureHeader(c, "x-portkey-azure-resource-name", "azureResourceName"),
      deploymentId: azureHeader(c, "x-portkey-azure-deployment-id", "azureDeploymentId"),
      apiVersion: azureHeader(c, "x-portkey-azure-api-version", "azureApiVersion"),
    },
  };
  const provider = header("x-portkey-provider");
  // The bearer is a provider key only when it is not the caller's gateway key; a gateway key (anyone's) is never
  // passed on to a provider.
  const bearer = callerOf(c)?.fromAuthorization ? undefined : bearerToken(header("authorization"));
  // The Anthropic SDK's key travels in x-api-key: a provider key there too, unless it is a gateway key.
  const xApiKey = header("x-api-key")?.trim();
  const apiKey = [bearer, xApiKey].find((key) => key && !looksLikeGatewayKey(key));
  const virtualKey = header("x-portkey-virtual-key")?.trim();
  const customHost = header("x-portkey-custom-host");
  const timeout = parseTimeout(header("x-portkey-request-timeout"));
  if (provider) defaults.provider = provider;
  if (apiKey) defaults.apiKey = apiKey;
  if (customHost) defaults.customHost = customHost;
  if (timeout !== undefined) defaults.requestTimeoutMs = timeout;
  if (virtualKey) defaults.virtualKey = virtualKey;
  const aws = awsFromHeaders(header);
  if (aws) defaults.aws = aws;
  const vertex = vertexFromHeaders(header);
  if (vertex) defaults.vertex = vertex;
  const workersAiAccount = header("x-portkey-workers-ai-account-id");
  if (workersAiAccount) defaults.workersAiAccountId = workersAiAccount;
  defaults.forward = { client: c.req.raw.headers, names: parseForwardList(header("x-portkey-forward-headers")) };
  return defaults;
}

function providerOf(spec: LeafSpec, header: string | undefined, hasConfig: boolean): ProviderId {
  if (spec.node.provider) return spec.node.provider;
  if (header === undefined || header === "") {
    const where = hasConfig ? `no provider for ${spec.path}: set provider on it, or` : "no provider selected:";
    throw badRequest(
      `${where} set x-portkey-provider${hasConfig ? "" : " or an x-portkey-config target"}`,
      "x-portkey-provider",
    );
  }
  const slug = header.toLowerCase();
  if (!isProviderId(slug)) {
    throw badRequest(
      `unknown provider "${header}"; valid providers: ${PROVIDER_IDS.join(", ")}`,
      "x-portkey-provider",
      "unknown_provider",
    );
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
  /** The request body's `model`, for `@virtual-key/model` addressing. */
  model?: unknown;
  /** Looks up stored credentials (governance); without it, naming a virtual key is a 400. */
  virtualKeys?: VirtualKeyResolver;
}

/**
 * Resolve one config leaf against the headers and the environment. Every leaf is resolved before the first call,
 * so a broken target answers 400 deterministically, whichever target a strategy would have picked.
 */
export async function resolveLeaf(
  spec: LeafSpec,
  defaults: HeaderDefaults,
  env: Env,
  options: ResolveOptions,
): Promise<ResolvedLeaf> {
  const { node, settings, path } = spec;
  const virtual = virtualKeyRef(spec, defaults, options.model);
  if (virtual) return resolveVirtualLeaf(spec, virtual, defaults, env, options);
  const provider = providerOf(spec, defaults.provider, options.hasConfig);
  const target: ResolvedTarget = { provider };
  const apiKey = node.api_key ?? defaults.apiKey;
  if (apiKey) target.apiKey = apiKey;

  const rawHost = settings.customHost ?? defaults.customHost;
  // Ollama's default base URL is loopback: it answers to the same policy as a caller-chosen host.
  const host = rawHost ?? (provider === "ollama" ? COMPATIBLE_PROVIDERS.ollama.baseUrl : null);
  if (host) target.customHost = policedHost(host, settings.customHost !== undefined, path, env);

  if (provider === "azure-openai" || provider === "azure-ai") {
    target.azure = {
      resourceName: node.azure_resource_name ?? defaults.azure.resourceName,
      deploymentId: node.azure_deployment_id ?? defaults.azure.deploymentId,
      apiVersion: node.azure_api_version ?? defaults.azure.apiVersion,
    };
  }
  if (provider === "bedrock") target.aws = awsOptionsOf(node, defaults.aws);
  if (provider === "vertex-ai") target.vertex = vertexOptionsOf(node, defaults.vertex, path);
  if (provider === "workers-ai" && defaults.workersAiAccountId)
    target.cloudflareAccountId = defaults.workersAiAccountId;
  return finishLeaf(spec, target, settings.overrideParams, defaults, options);
}

/** A leaf whose credential is a virtual key: provider, key and host all come from the vault (governance/virtual-target). */
async function resolveVirtualLeaf(
  spec: LeafSpec,
  ref: VirtualKeyRef,
  defaults: HeaderDefaults,
  env: Env,
  options: ResolveOptions,
): Promise<ResolvedLeaf> {
  if (!options.virtualKeys)
    throw badRequest(
      `virtual key ${JSON.stringify(ref.slug)}: virtual keys are not available here`,
      ref.param,
      "virtual_keys_unavailable",
    );
  const record = await options.virtualKeys(ref.slug, ref.param).catch((error: unknown) => {
    if (!ref.path || !(error instanceof GatewayError)) throw error;
    throw new GatewayError(error.status, `${ref.path}: ${error.message}`, {
      type: error.type,
      code: error.code,
      param: error.param,
      headers: error.extraHeaders,
    });
  });
  const { target, overrideParams } = virtualTarget(spec, ref, record, defaults, env);
  return finishLeaf(spec, target, overrideParams, defaults, options, record);
}

/** The parts of a leaf that do not depend on where its credential came from. */
async function finishLeaf(
  spec: LeafSpec,
  target: ResolvedTarget,
  overrideParams: Record<string, unknown>,
  defaults: HeaderDefaults,
  options: ResolveOptions,
  virtualKey?: VirtualKeyRecord,
): Promise<ResolvedLeaf> {
  const { settings, path } = spec;
  const routed: RoutedTarget = { target };
  if (Object.keys(overrideParams).length > 0) routed.overrideParams = overrideParams;
  const timeout = defaults.requestTimeoutMs ?? settings.requestTimeout;
  if (timeout !== undefined) routed.requestTimeoutMs = timeout;
  const { forward } = defaults;
  const forwarded =
    forward &&
    forwardedHeaders(forward.client, [...forward.names, ...(settings.forwardHeaders ?? [])], target.provider);
  if (forwarded) routed.forwardHeaders = forwarded;

  const leaf: ResolvedLeaf = {
    path,
    provider: target.provider,
    routed,
    // Keyed by the model this target is sent (override_params win over the body), like the upstream call itself.
    breaker: options.breakers
      ? { key: await breakerKey(target, overrideParams.model ?? options.model), settings: settings.breaker }
      : null,
  };
  if (settings.retry) leaf.retry = settings.retry;
  if (virtualKey) leaf.virtualKey = virtualKey;
  return leaf;
}
