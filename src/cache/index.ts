import type { AppContext, RequestOutcome } from "../context";
import { toGatewayError } from "../errors";
import type { OperationRequest } from "../routing/request";
import type { ResolvedLeaf } from "../governance/leaf";
import { leavesOf, type LeafSpec, type PlanNode } from "../routing/inherit";
import { capture } from "./capture";
import { ENTRY_PREFIX, partitionPrefix, type Partition } from "./keys";
import { lookup, planSemantic, type Hit, type SemanticPlan, type VectorMemo } from "./lookup";
import { describeRequest, exactHash, type CacheRequest } from "./request";
import { hitResponse } from "./respond";
import { savedUsd } from "./saved";
import { markServedFromCache } from "../routing/served";
import { scopeId, tenantOf } from "./scope";
import { cacheSettings, requestOptions, type CacheSettings, type RequestOptions } from "./settings";
import { recordCacheEvent, type CacheStatus } from "./stats";
import { storeAnswer } from "./store";
import { waitUntilOf } from "../wait-until";

export const CACHE_STATUS_HEADER = "x-portkey-cache-status";

type Attempt = (leaf: ResolvedLeaf, timeoutMs: number) => Promise<Response>;

/** waitUntil for the cache's background writes, which report their failures (they never fail a request). */
function reportingWaitUntil(c: AppContext): (promise: Promise<unknown>) => void {
  const waitUntil = waitUntilOf(c);
  return (promise) =>
    waitUntil(promise.catch((error: unknown) => console.warn("cache: background write failed", error)));
}

/** Everything one attempt of a cached target needs, computed once per target (retries reuse it). */
interface Prepared {
  settings: CacheSettings;
  request: CacheRequest;
  partition: Partition;
  hash: string;
  key: string;
  semantic: SemanticPlan | null;
}

/** Set the status on the outcome and on the response (or on the error the client will get instead). */
function tag<T extends Response>(outcome: RequestOutcome, response: T, status: CacheStatus): T {
  outcome.cache.status = status;
  response.headers.set(CACHE_STATUS_HEADER, status);
  return response;
}

async function tagFailure<T>(outcome: RequestOutcome, status: CacheStatus, run: () => Promise<T>): Promise<T> {
  outcome.cache.status = status;
  try {
    return await run();
  } catch (raw) {
    const error = toGatewayError(raw);
    error.extraHeaders[CACHE_STATUS_HEADER] = status;
    throw error;
  }
}

class RequestCache {
  private readonly prepared = new Map<ResolvedLeaf, Promise<Prepared>>();
  private readonly vectors: VectorMemo = new Map();
  private readonly waitUntil: (promise: Promise<unknown>) => void;
  private options: RequestOptions | undefined;

  constructor(
    private readonly c: AppContext,
    private readonly settings: Map<string, CacheSettings | null>,
    private readonly requestFor: (leaf: ResolvedLeaf) => OperationRequest,
    private readonly attempt: Attempt,
  ) {
    this.waitUntil = reportingWaitUntil(c);
  }

  private async prepare(leaf: ResolvedLeaf, settings: CacheSettings, options: RequestOptions): Promise<Prepared> {
    const request = describeRequest(this.requestFor(leaf), leaf.routed.target, leaf.routed.forwardHeaders);
    const [scope, hash] = await Promise.all([
      scopeId(tenantOf(this.c, leaf.routed.target), this.c.env),
      exactHash(request),
    ]);
    const partition: Partition = { namespace: options.namespace, model: request.model, scope };
    const key = (await partitionPrefix(ENTRY_PREFIX, partition)) + hash;
    const semantic =
      settings.mode === "semantic"
        ? await planSemantic(this.c, request, partition, leaf.routed.target, this.vectors)
        : null;
    return { settings, request, partition, hash, key, semantic };
  }

  private preparedFor(leaf: ResolvedLeaf, settings: CacheSettings, options: RequestOptions): Promise<Prepared> {
    let prepared = this.prepared.get(leaf);
    if (!prepared) {
      prepared = this.prepare(leaf, settings, options);
      this.prepared.set(leaf, prepared);
    }
    return prepared;
  }

  /** A lookup that fails (KV unavailable) is a miss: the cache may never be the reason a request fails. */
  private async safeLookup(p: Prepared): Promise<Hit | null> {
    try {
      return await lookup(this.c.env.CACHE, p.key, p.partition, p.settings, p.semantic);
    } catch (error) {
      console.warn("cache: lookup failed", error instanceof Error ? error.message : error);
      return null;
    }
  }

  private serveHit(p: Prepared, hit: Hit): Response | null {
    const { outcome } = this.c.var;
    const response = hitResponse(hit.entry, p.request, outcome, this.c.var.startedAt);
    if (!response) return null;
    const saved = savedUsd(hit.entry);
    outcome.cache.savedUsd = saved;
    this.waitUntil(recordCacheEvent(this.c.env.CACHE, p.partition.namespace, hit.status, saved, this.waitUntil));
    // Marked so the routing engine neither reports the hit to the circuit breaker nor takes it for a provider call.
    return markServedFromCache(tag(outcome, response, hit.status));
  }

  async run(leaf: ResolvedLeaf, timeoutMs: number): Promise<Response> {
    const { outcome } = this.c.var;
    const settings = this.settings.get(leaf.path) ?? null;
    if (!settings)
      return tag(outcome, await tagFailure(outcome, "DISABLED", () => this.attempt(leaf, timeoutMs)), "DISABLED");
    const options = await tagFailure(outcome, "MISS", async () => (this.options ??= requestOptions(this.c)));
    const status: CacheStatus = options.forceRefresh ? "REFRESH" : "MISS";
    // Preparing validates the body (override_params included): its 400 carries the status like any failure.
    const p = await tagFailure(outcome, status, () => this.preparedFor(leaf, settings, options));
    outcome.cache.key = p.key;
    if (!options.forceRefresh) {
      const hit = await this.safeLookup(p);
      const response = hit && this.serveHit(p, hit);
      if (response) return response;
    }
    const answer = await tagFailure(outcome, status, () => this.attempt(leaf, timeoutMs));
    const captured = await capture(answer, p.request, outcome);
    const target = {
      kv: this.c.env.CACHE,
      key: p.key,
      hash: p.hash,
      settings,
      semantic: p.semantic,
      replace: options.forceRefresh,
    };
    this.waitUntil(storeAnswer(captured, p.request, outcome, target));
    this.waitUntil(recordCacheEvent(this.c.env.CACHE, p.partition.namespace, status, 0, this.waitUntil));
    return tag(outcome, captured.response, status);
  }
}

/**
 * The response cache around the routing engine's per-target attempt. Each config leaf carries its inherited
 * `cache` setting; a leaf without one is called as before (status DISABLED). With one: exact (then semantic)
 * lookup, scoped to the tenant and x-portkey-cache-namespace; a hit answers without a provider call; a miss
 * calls the provider and stores a complete, successful answer after the client is served.
 */
export function withCache(
  c: AppContext,
  plan: PlanNode<LeafSpec>,
  requestFor: (leaf: ResolvedLeaf) => OperationRequest,
  attempt: Attempt,
): Attempt {
  const settings = new Map(leavesOf(plan).map((spec) => [spec.path, cacheSettings(spec.settings.cache)] as const));
  c.var.outcome.cache.status = "DISABLED";
  if (![...settings.values()].some(Boolean)) {
    const { outcome } = c.var;
    return async (leaf, timeoutMs) =>
      tag(outcome, await tagFailure(outcome, "DISABLED", () => attempt(leaf, timeoutMs)), "DISABLED");
  }
  const cache = new RequestCache(c, settings, requestFor, attempt);
  return (leaf, timeoutMs) => cache.run(leaf, timeoutMs);
}
