import { withCache } from "../cache";
import type { AppContext } from "../context";
import { toGatewayError } from "../errors";
import { AdmissionGate } from "../governance/admission";
import { callerOf } from "../governance/caller";
import { keyDefaultConfig, virtualKeyResolver, withKeyMetadata } from "../governance/request";
import { attempt, type OperationRequest } from "../pipeline/attempt";
import { readJson } from "../pipeline/body";
import { headerDefaults, resolveLeaf, type ResolvedLeaf } from "../pipeline/target";
import { breakerView } from "./breaker/client";
import { loadConfig } from "./config-source";
import { Engine } from "./engine";
import { buildPlan, leavesOf, mapLeaves } from "./inherit";
import { parseMetadata } from "./metadata";
import { modelFor, operationRequest, type OperationName } from "./request";
import { RoutingStop, summariseFailure, targetsTried, withHeaders } from "./trail";
import { waitUntilOf } from "../wait-until";

/**
 * Overall deadline of one routed request: every attempt, retry wait and fallback must fit in it, so a config with
 * many targets and retries cannot run away. 10 minutes by default, the same as the default per-attempt timeout,
 * so that a single slow (non-streamed) answer keeps the allowance it had before routing existed.
 * Configurable with the ROUTING_DEADLINE_MS var.
 */
export const DEFAULT_ROUTING_DEADLINE_MS = 600_000;

function deadlineMs(env: Env): number {
  const configured = Number(env.ROUTING_DEADLINE_MS);
  return Number.isFinite(configured) && configured > 0 ? configured : DEFAULT_ROUTING_DEADLINE_MS;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The route step of the pipeline: resolve the config (inline, saved, or just headers), resolve every target, read
 * the body once, then let the engine run the strategies. Sets x-portkey-last-used-option-index (with a config) and
 * x-portkey-retry-attempt-count, and keeps the attempt trail on c.var.outcome for the logger.
 */
export async function routeRequest(c: AppContext, operation: OperationName): Promise<Response> {
  const { outcome } = c.var;
  // Governance: the body streams in while the config loads; targets need it (`@virtual-key/model` addressing).
  const body = readJson(c);
  body.catch(() => {}); // a config error may come first; the body's own error is thrown where it is awaited
  // Governance: without x-portkey-config, the gateway key's default config (if any) applies, and its metadata.
  const config = (await loadConfig(c)) ?? (await keyDefaultConfig(c));
  const metadata = withKeyMetadata(c, parseMetadata(c.req.header("x-portkey-metadata")));
  if (metadata) outcome.metadata = metadata;

  const json = await body;
  outcome.requestBody = json; // a reference for the request logger (token estimates, body logging), no copy
  if (typeof json === "object" && json !== null && "model" in json && typeof json.model === "string")
    outcome.requestedModel = json.model;

  const plan = buildPlan(config ?? {});
  const defaults = headerDefaults(c);
  const model = typeof json === "object" && json !== null && "model" in json ? json.model : undefined;
  const options = {
    hasConfig: config !== null,
    breakers: leavesOf(plan).length > 1,
    model,
    virtualKeys: virtualKeyResolver(c),
  };
  const resolved = await mapLeaves(plan, (spec) => resolveLeaf(spec, defaults, c.env, options));
  const leaves = leavesOf(resolved);
  // With one target, a request refused before any call (limits, allowlists) is still attributed to its provider.
  if (leaves.length === 1 && leaves[0]) outcome.provider ??= leaves[0].provider;
  // Stored provider keys this request may use: the logger redacts them like the caller's own credentials.
  const vaulted = leaves.flatMap((leaf) => leaf.virtualKey?.credential?.api_key ?? []);
  if (vaulted.length > 0) outcome.redact = vaulted;
  const waitUntil = waitUntilOf(c);
  // Governance: allowlists (403) now; the limiters' admission starts now and is awaited before each attempt.
  const gate = new AdmissionGate({
    env: c.env,
    outcome,
    waitUntil,
    caller: callerOf(c),
    operation,
    json,
    leaves,
    hasConfig: config !== null,
  });
  // Validated once per target (override_params differ), reused by its retries.
  const requests = new Map<ResolvedLeaf, OperationRequest>();
  const requestFor = (leaf: ResolvedLeaf) => {
    let request = requests.get(leaf);
    if (!request) {
      request = operationRequest(operation, json, leaf.routed.overrideParams);
      requests.set(leaf, request);
    }
    return request;
  };

  const engine = new Engine({
    // Cache (src/cache): wraps each target's attempt; a hit answers without admission's wait or a provider call.
    attempt: withCache(c, plan, requestFor, async (leaf, timeoutMs) => {
      // Governance: the body is validated while the limiters answer.
      const [request] = await Promise.all([Promise.resolve().then(() => requestFor(leaf)), gate.admit(leaf)]);
      return attempt(c, request, { ...leaf.routed, requestTimeoutMs: timeoutMs });
    }),
    modelOf: (leaf) => modelFor(json, leaf.routed.overrideParams),
    breaker: breakerView(c.env.CIRCUIT_BREAKER, waitUntil),
    conditionInput: { metadata: metadata ?? {}, params: json },
    now: () => performance.now(),
    deadlineAt: c.var.startedAt + deadlineMs(c.env),
    sleep,
    random: Math.random,
  });
  outcome.attempts = engine.trail;

  const headers = (path: string, retries: number): Record<string, string> => {
    outcome.retryAttemptCount = retries;
    outcome.lastUsedOptionIndex = path;
    const out: Record<string, string> = { "x-portkey-retry-attempt-count": String(retries) };
    if (config) out["x-portkey-last-used-option-index"] = path;
    return out;
  };

  try {
    const { response, path, retries } = await engine.run(resolved);
    for (const [name, value] of Object.entries(headers(path, retries))) response.headers.set(name, value);
    gate.finish(leaves.find((leaf) => leaf.path === path) ?? null); // governance: settle (waitUntil)
    return response;
  } catch (raw) {
    gate.finish(null); // governance: release the reservations
    const error = toGatewayError(raw);
    const last = engine.last;
    const extra = last ? headers(last.path, last.retries) : {};
    // One target tried: its own error, untouched (status, message, Retry-After) is the most useful answer.
    if (raw instanceof RoutingStop || targetsTried(engine.trail) <= 1) throw withHeaders(error, extra);
    throw summariseFailure(engine.trail, error, extra);
  }
}
