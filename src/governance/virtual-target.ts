import type { ResolvedTarget } from "../../providers/types";
import { COMPATIBLE_PROVIDERS } from "../../providers/openai-compatible/table";
import { urlFieldProblem, type UrlFieldKind } from "../../schema/url-fields";
import { GatewayError, badRequest } from "../errors";
import { checkCustomHost, customHostPolicy } from "../lib/custom-host";
import type { HeaderDefaults } from "../routing/targets";
import type { LeafSpec } from "../routing/inherit";
import type { VirtualKeyRecord } from "./records";
import { storedAwsOptions } from "./virtual-keys/aws-target";
import { storedVertexOptions } from "./virtual-keys/vertex-target";
import { workersAiAccountOf } from "./virtual-keys/workers-ai-target";
import { vertexOptionsOf } from "../routing/vertex-options";

/**
 * Targets that use a virtual key. Where the request names one, in order: the target's own `virtual_key`; the
 * x-portkey-virtual-key header (for targets without a provider); and `"model": "@<slug>/<model>"`, read only when
 * nothing else selects a provider, so model ids that merely start with `@` (Workers AI's `@cf/...`) pass through
 * untouched whenever a provider is chosen. The `@<slug>/` prefix is stripped before the model goes upstream.
 */
export interface VirtualKeyRef {
  slug: string;
  /** Where the slug came from, for the `param` of errors. */
  param: string;
  /** The model without its `@<slug>/` prefix, when the slug came from the model. */
  model?: string;
  /** For a config target: its path (`config.targets[0].virtual_key`), which errors start with. */
  path?: string;
}

const MODEL_ADDRESS = /^@([a-z0-9][a-z0-9-_]{1,62})\/(.+)$/;

export function virtualKeyRef(spec: LeafSpec, defaults: HeaderDefaults, bodyModel: unknown): VirtualKeyRef | null {
  const { node, path } = spec;
  if (node.virtual_key !== undefined) {
    if (node.provider !== undefined || node.api_key !== undefined) {
      throw badRequest(
        `${path}: set either virtual_key or provider and api_key, not both`,
        "x-portkey-config",
        "invalid_config",
      );
    }
    return { slug: node.virtual_key, param: "x-portkey-config", path: `${path}.virtual_key` };
  }
  if (node.provider !== undefined) return null;
  if (defaults.virtualKey !== undefined) return { slug: defaults.virtualKey, param: "x-portkey-virtual-key" };
  if (defaults.provider !== undefined) return null;
  const model = spec.settings.overrideParams.model ?? bodyModel;
  const match = typeof model === "string" ? MODEL_ADDRESS.exec(model) : null;
  return match?.[1] && match[2] ? { slug: match[1], param: "model", model: match[2] } : null;
}

/**
 * A URL field stored with a virtual key, checked again on use: a key saved before the save-time check existed
 * must not build a URL the check would refuse.
 */
function storedUrlField(
  value: string | undefined,
  field: string,
  kind: UrlFieldKind,
  who: string,
  param: string,
): string | undefined {
  const problem = value === undefined ? null : urlFieldProblem(kind, value);
  if (problem)
    throw badRequest(`${who}: its stored ${field} ${problem}; fix the virtual key`, param, "invalid_parameter");
  return value;
}

/**
 * The provider key leaves the Worker only towards the host stored with it: a base URL or an Azure resource from
 * the request would let a caller receive the key, so they are refused (400). Deployment and api-version stay
 * per-request choices (same host).
 */
export function virtualTarget(
  spec: LeafSpec,
  ref: VirtualKeyRef,
  record: VirtualKeyRecord,
  defaults: HeaderDefaults,
  env: Env,
): { target: ResolvedTarget; overrideParams: Record<string, unknown> } {
  const { node, settings } = spec;
  const credential = record.credential;
  if (!credential) throw new Error(`virtual key ${record.slug} reached routing without a credential`);
  const who = `virtual key ${JSON.stringify(record.slug)}`;
  if (settings.customHost !== undefined || defaults.customHost !== undefined) {
    throw badRequest(
      `custom_host cannot be used with ${who}: its provider key only goes to the host stored with it`,
      ref.param,
      "custom_host_not_allowed",
    );
  }
  const target: ResolvedTarget = { provider: record.provider, apiKey: credential.api_key };
  const host =
    credential.custom_host ?? (record.provider === "ollama" ? COMPATIBLE_PROVIDERS.ollama.baseUrl : undefined);
  if (host) {
    try {
      target.customHost = checkCustomHost(host, customHostPolicy(env));
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
      throw new GatewayError(400, `${who}: ${error.message}`, { param: ref.param, code: error.code });
    }
  }
  if (record.provider === "azure-openai" || record.provider === "azure-ai") {
    const resource = node.azure_resource_name ?? defaults.azure.resourceName;
    if (resource !== undefined && resource !== credential.azure_resource_name) {
      throw badRequest(
        `the Azure resource of ${who} is fixed: do not send another one`,
        ref.param,
        "azure_resource_not_allowed",
      );
    }
    target.azure = {
      resourceName: storedUrlField(
        credential.azure_resource_name,
        "azure_resource_name",
        "azureResourceName",
        who,
        ref.param,
      ),
      deploymentId:
        node.azure_deployment_id ??
        defaults.azure.deploymentId ??
        storedUrlField(credential.azure_deployment_id, "azure_deployment_id", "azureDeploymentId", who, ref.param),
      apiVersion:
        node.azure_api_version ??
        defaults.azure.apiVersion ??
        storedUrlField(credential.azure_api_version, "azure_api_version", "azureApiVersion", who, ref.param),
    };
  }
  if (record.provider === "bedrock") target.aws = storedAwsOptions(credential);
  if (record.provider === "workers-ai") {
    const account = workersAiAccountOf(credential, defaults.workersAiAccountId, who, ref.param);
    if (account !== undefined) target.cloudflareAccountId = account;
  }
  if (record.provider === "vertex-ai")
    target.vertex = storedVertexOptions(credential, vertexOptionsOf(node, defaults.vertex, spec.path));
  const overrideParams =
    ref.model === undefined ? settings.overrideParams : { ...settings.overrideParams, model: ref.model };
  return { target, overrideParams };
}
