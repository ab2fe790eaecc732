import type { ProviderId } from "../../schema/provider-ids";
import type { ResolvedTarget } from "../../providers/types";
import type { OperationRequest } from "../routing/request";
import { hashOf } from "./canonical";

/**
 * Body fields that change how an answer is delivered or attributed, never what it says: a streamed and a
 * non-streamed request share an entry, and so do two end users (`user`, `safety_identifier`) of one tenant.
 */
const NON_SEMANTIC_FIELDS = new Set([
  "stream",
  "stream_options",
  "user",
  "metadata",
  "store",
  "service_tier",
  "prompt_cache_key",
  "prompt_cache_retention",
  "safety_identifier",
]);

/** What the cache needs to know about one attempt's request. */
export interface CacheRequest {
  operation: OperationRequest["operation"];
  provider: ProviderId;
  /** The model sent upstream (after override_params). */
  model: string;
  stream: boolean;
  includeUsage: boolean;
  /** The request without the delivery-only fields, plus where it goes: the input of every key. */
  identity: { operation: string; target: Record<string, unknown>; body: Record<string, unknown> };
}

/**
 * Forwarded request headers that change what the provider answers (API version, beta features): part of the key.
 * Others stay out: a per-request trace id would make every request a miss, and OpenAI's organization/project
 * choose who is billed, not what the model says (tenants are already apart: scope.ts).
 */
const ANSWER_HEADERS = ["anthropic-beta", "anthropic-version"] as const;

function answerHeaders(forwarded: Readonly<Record<string, string>> | undefined): Record<string, string> | null {
  const picked: Record<string, string> = {};
  for (const name of ANSWER_HEADERS) {
    const value = forwarded?.[name];
    if (value !== undefined) picked[name] = value;
  }
  return Object.keys(picked).length > 0 ? picked : null;
}

/** Who answers: provider and base URL (custom_host, Azure resource/deployment/version). Never the credential. */
function targetIdentity(target: ResolvedTarget, forwarded?: Readonly<Record<string, string>>): Record<string, unknown> {
  const { azure } = target;
  const headers = answerHeaders(forwarded);
  return {
    // Only when present: the keys of requests that forward nothing stay what they were.
    ...(headers && { headers }),
    provider: target.provider,
    host: target.customHost ?? null,
    azure: azure
      ? {
          resource: azure.resourceName ?? null,
          deployment: azure.deploymentId ?? null,
          version: azure.apiVersion ?? null,
        }
      : null,
  };
}

/** `forwarded`: the client headers the target passes upstream (pipeline/forward-headers.ts). */
export function describeRequest(
  request: OperationRequest,
  target: ResolvedTarget,
  forwarded?: Readonly<Record<string, string>>,
): CacheRequest {
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(request.body)) {
    if (!NON_SEMANTIC_FIELDS.has(key)) body[key] = value;
  }
  const streaming = request.operation !== "embeddings" && request.body.stream === true;
  return {
    operation: request.operation,
    provider: target.provider,
    model: request.body.model,
    stream: streaming,
    includeUsage: request.operation !== "embeddings" && request.body.stream_options?.include_usage === true,
    identity: { operation: request.operation, target: targetIdentity(target, forwarded), body },
  };
}

/** SHA-256 of the canonical request: the exact-match key. */
export const exactHash = (request: CacheRequest): Promise<string> => hashOf({ v: 1, ...request.identity });
