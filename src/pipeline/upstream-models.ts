import { COMPATIBLE_PROVIDERS } from "../../providers/openai-compatible/table";
import { compatibleHeaders } from "../../providers/openai-compatible/urls";
import { adapterFor } from "../../providers/registry";
import { MalformedUpstreamError, type ResolvedTarget } from "../../providers/types";
import { isOpenAICompatible, type OpenAICompatibleProviderId } from "../../schema/provider-ids";
import type { RouteOutcome } from "../context";
import { GatewayError, badRequest } from "../errors";
import type { ModelEntry } from "../governance/models";
import { upstreamFetchFailure } from "../lib/fetch-upstream";
import { upstreamError } from "./upstream";

/**
 * An upstream's own model list (`GET {base}/models`, OpenAI's format), for OpenAI-compatible servers: vLLM,
 * Ollama, LM Studio, or a hosted provider reached with a virtual key. Azure lists deployments elsewhere and the
 * translated providers (Anthropic, Google) answer in their own formats: those are listed from the price table.
 */

/** Listing is a quick metadata call: without x-portkey-request-timeout it may take this long, body included. */
export const DEFAULT_MODELS_TIMEOUT_MS = 30_000;

export type ListableProvider = Exclude<OpenAICompatibleProviderId, "azure-openai">;

export function listableProvider(target: ResolvedTarget): ListableProvider | null {
  const { provider } = target;
  return isOpenAICompatible(provider) && provider !== "azure-openai" ? provider : null;
}

function modelsUrl(provider: ListableProvider, target: ResolvedTarget): string {
  const base = target.customHost ?? COMPATIBLE_PROVIDERS[provider].baseUrl;
  if (!base)
    throw badRequest(`provider "${provider}" needs a custom_host`, "x-portkey-custom-host", "custom_host_required");
  return `${base}/models`;
}

/** The four fields of OpenAI's model object; servers add their own (vLLM's max_model_len, ...), which we drop. */
function parseModelList(text: string, provider: ListableProvider): ModelEntry[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new MalformedUpstreamError(`upstream ${provider} answered GET /models with a body that is not JSON`);
  }
  const data = typeof json === "object" && json !== null && "data" in json ? json.data : undefined;
  if (!Array.isArray(data))
    throw new MalformedUpstreamError(`upstream ${provider} answered GET /models without a data list`);
  const models: ModelEntry[] = [];
  for (const item of data as unknown[]) {
    if (typeof item !== "object" || item === null) continue;
    const { id, created, owned_by: owner } = item as Record<string, unknown>;
    if (typeof id !== "string" || id === "") continue;
    models.push({
      id,
      object: "model",
      created: typeof created === "number" && Number.isFinite(created) ? created : 0,
      owned_by: typeof owner === "string" && owner !== "" ? owner : provider,
    });
  }
  return models;
}

/**
 * GET the list with the target's credential. Redirects are not followed (the policed host is the only host);
 * non-2xx answers keep the upstream's status and message in our envelope (credentials scrubbed), a network failure
 * is 502 and running out of time 408, as for the other operations.
 */
export async function fetchUpstreamModels(
  provider: ListableProvider,
  target: ResolvedTarget,
  timeoutMs: number,
  timing: Pick<RouteOutcome, "upstreamMs">,
): Promise<ModelEntry[]> {
  const url = modelsUrl(provider, target);
  const headers = compatibleHeaders(provider, target);
  delete headers["content-type"]; // a GET has no body
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const started = performance.now();
  let text: string;
  try {
    const response = await fetch(url, { method: "GET", headers, signal: controller.signal, redirect: "manual" });
    if (!response.ok) throw await upstreamError(adapterFor(provider), response, target.apiKey ? [target.apiKey] : []);
    text = await response.text();
  } catch (error) {
    if (error instanceof GatewayError) throw error;
    throw upstreamFetchFailure(error, controller.signal.aborted, url, `did not list its models within ${timeoutMs} ms`);
  } finally {
    clearTimeout(timer);
    timing.upstreamMs = performance.now() - started;
  }
  return parseModelList(text, provider);
}
