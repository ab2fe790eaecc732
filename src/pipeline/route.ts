import { withCache } from "../cache";
import type { AppContext } from "../context";
import { toGatewayError } from "../errors";
import { AdmissionGate } from "../governance/admission";
import { callerOf } from "../governance/caller";
import type { ResolvedLeaf } from "../governance/leaf";
import { breakerView } from "../routing/breaker/client";
import { Engine } from "../routing/engine";
import { modelFor, operationRequest, type OperationName, type OperationRequest } from "../routing/request";
import { RoutingStop, summariseFailure, targetsTried, withHeaders } from "../routing/trail";
import { waitUntilOf } from "../wait-until";
import { attempt } from "./attempt";
import { guardAnswer, guardCacheHits } from "./guardrail-answer";
import { withInboundAttempts } from "./inbound/attempts";
import { targetRequestJson, withTargetInputHooks } from "./guardrail-target-input";
import { withHookResults } from "./hooks-failed";
import type { ParsedRequest } from "./parse";
import type { ResolvedTargets } from "./resolve-targets";
import { routingHeaders } from "./respond";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The answer of the target that served the request, and where it sits in the config. */
export interface RoutedAnswer {
  response: Response;
  path: string;
  retries: number;
}

/** Each target's body, validated once (override_params differ per target) and reused by its retries. */
function requestsPerTarget(
  operation: OperationName,
  jsonFor: (leaf: ResolvedLeaf) => unknown,
): (leaf: ResolvedLeaf) => OperationRequest {
  const requests = new Map<ResolvedLeaf, OperationRequest>();
  return (leaf) => {
    let request = requests.get(leaf);
    if (!request) {
      request = operationRequest(operation, jsonFor(leaf), leaf.routed.overrideParams);
      requests.set(leaf, request);
    }
    return request;
  };
}

/** The engine, with the cache around each attempt and admission awaited before each provider call. */
function engineFor(
  c: AppContext,
  operation: OperationName,
  request: ParsedRequest,
  targets: ResolvedTargets,
  gate: AdmissionGate,
) {
  // A nested target's own input redaction changes only its body (read after its hooks ran, before its cache key).
  const requestFor = requestsPerTarget(operation, (leaf) => targetRequestJson(c, leaf.path, request.json));
  return new Engine({
    // A cache hit answers without admission's wait or a provider call.
    // Output guardrails judge each provider answer inside the cache (a denied answer is never stored) and each
    // cache hit outside it (a stored answer still passes today's hooks).
    // A nested target's own input hooks run first, when the engine tries it (a deny is this attempt's 446).
    // A front door translates each attempt's answer afresh (a hit after a denied native answer is chat).
    attempt: withInboundAttempts(
      c,
      guardCacheHits(
        c,
        withTargetInputHooks(
          c,
          withCache(c, targets.plan, requestFor, async (leaf, timeoutMs) => {
            // The body is validated while the limiters answer.
            const [body] = await Promise.all([Promise.resolve().then(() => requestFor(leaf)), gate.admit(leaf)]);
            return guardAnswer(c, leaf.path, await attempt(c, body, { ...leaf.routed, requestTimeoutMs: timeoutMs }));
          }),
        ),
      ),
    ),
    modelOf: (leaf) => modelFor(request.json, leaf.routed.overrideParams),
    breaker: breakerView(c.env.CIRCUIT_BREAKER, waitUntilOf(c)),
    conditionInput: { metadata: request.metadata ?? {}, params: request.json },
    now: () => performance.now(),
    // Overall deadline of every attempt, retry wait and fallback (ROUTING_DEADLINE_MS, src/settings.ts).
    deadlineAt: c.var.startedAt + c.var.settings.routingDeadlineMs,
    sleep,
    random: Math.random,
  });
}

/**
 * The route step: admission (allowlists now, limiters before each attempt), then the engine runs the strategies
 * over the targets. The attempt trail goes on the outcome for the logger. When every target fails, the error
 * carries the routing headers and, after several targets, a summary of the trail.
 */
export async function route(
  c: AppContext,
  operation: OperationName,
  request: ParsedRequest,
  targets: ResolvedTargets,
): Promise<RoutedAnswer> {
  const { outcome } = c.var;
  const { leaves, hasConfig } = targets;
  const gate = new AdmissionGate({
    env: c.env,
    outcome,
    waitUntil: waitUntilOf(c),
    caller: callerOf(c),
    operation,
    json: request.json,
    leaves,
    hasConfig,
  });
  const engine = engineFor(c, operation, request, targets, gate);
  outcome.route.attempts = engine.trail;
  try {
    const answer = await engine.run(targets.tree);
    gate.finish(leaves.find((leaf) => leaf.path === answer.path) ?? null); // settle (waitUntil)
    return answer;
  } catch (raw) {
    gate.finish(null); // release the reservations
    const error = toGatewayError(raw);
    const last = engine.last;
    const extra = last ? routingHeaders(c, hasConfig, last.path, last.retries) : {};
    // One target tried: its own error, untouched (status, message, Retry-After) is the most useful answer.
    const { outcome } = c.var;
    if (raw instanceof RoutingStop || targetsTried(engine.trail) <= 1)
      throw withHookResults(withHeaders(error, extra), outcome);
    throw withHookResults(summariseFailure(engine.trail, error, extra), outcome);
  }
}
