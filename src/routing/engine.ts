import { isServedFromCache } from "./served";
import type { AttemptRecord } from "../context";
import { GatewayError, toGatewayError } from "../errors";
import type { RoutedLeaf as ResolvedLeaf } from "./targets";
import { DEFAULT_REQUEST_TIMEOUT_MS } from "../lib/fetch-upstream";
import { decideRetry, parseRetryAfter } from "./backoff";
import { isBreakerFailure } from "./breaker/state";
import type { BreakerView } from "./breaker/client";
import { chooseConditionalTarget, type ConditionInput } from "./conditions";
import type { PlanNode } from "./inherit";
import { pickWeighted, type Random } from "./select";
import { RoutingStop, TargetRefused } from "./trail";

/** Everything the engine needs from the outside world, injected so its decisions stay testable. */
export interface EngineDeps {
  /** One call to one target; resolves once response headers arrived, throws on any failure. */
  attempt(leaf: ResolvedLeaf, timeoutMs: number): Promise<Response>;
  /** The model this target would be sent (for the trail). */
  modelOf(leaf: ResolvedLeaf): string | undefined;
  breaker: BreakerView;
  conditionInput: ConditionInput;
  /**
   * Milliseconds on the clock of c.var.startedAt (performance.now()), which deadlineAt and each try's startedAt
   * use too: the logger places attempt spans by their offset from the request's start.
   */
  now(): number;
  deadlineAt: number;
  sleep(ms: number): Promise<void>;
  random: Random;
}

export interface RouteSuccess {
  response: Response;
  path: string;
  /** Retries on the target that answered. */
  retries: number;
}

type Node = PlanNode<ResolvedLeaf>;

/**
 * One entry of the trail. `cached` marks a try the response cache answered (no provider call); it is declared
 * here until AttemptRecord (src/context.ts) carries it, and is assignable to AttemptRecord either way.
 */

/** Network errors always move on; otherwise the strategy's list decides, and without a list any failure does. */
function fallsBack(error: GatewayError, codes: readonly number[] | undefined): boolean {
  return codes === undefined || error.code === "upstream_unreachable" || codes.includes(error.status);
}

/**
 * Runs a plan: strategies choose among targets, leaves call attempt() with retries. A response is returned as soon
 * as one attempt produced headers; a stream that fails after that is the stream's business (the client already
 * has bytes), so nothing here retries or falls back once a Response exists.
 */
export class Engine {
  readonly trail: AttemptRecord[] = [];
  /** The target tried last and its retries, for the response headers (also on failure). */
  last: { path: string; retries: number } | null = null;

  constructor(private readonly deps: EngineDeps) {}

  run(node: Node): Promise<RouteSuccess> {
    if (node.kind === "leaf") return this.leaf(node.leaf);
    const { strategy, children } = node;
    switch (strategy.mode) {
      case "single":
        return this.run(this.child(node, children[0]));
      case "fallback":
        return this.fallback(children, strategy.on_status_codes);
      case "loadbalance": {
        const candidates = children.map((child) => ({ weight: child.weight, healthy: this.healthy(child) }));
        const index = pickWeighted(candidates, this.deps.random);
        return this.run(this.child(node, index === null ? undefined : children[index]));
      }
      case "conditional": {
        const chosen = this.chosen(node);
        if (chosen === null) {
          throw new RoutingStop(400, `${node.path}: no condition matched and strategy.default is not set`, {
            param: "x-portkey-config",
            code: "no_matching_condition",
          });
        }
        return this.run(this.child(node, chosen));
      }
    }
  }

  /** The target a conditional node routes to: null when no condition matched and there is no default. */
  private chosen(node: Node & { kind: "group" }): Node | undefined | null {
    const name = chooseConditionalTarget(node.strategy, this.deps.conditionInput);
    return name === null ? null : node.children.find((child) => child.name === name);
  }

  /** The schema guarantees a child exists (targets non-empty, names resolve, some weight > 0). */
  private child(node: Node, child: Node | undefined): Node {
    if (child) return child;
    throw new RoutingStop(400, `${node.path}: no target to route to`, {
      param: "x-portkey-config",
      code: "invalid_config",
    });
  }

  private remaining(): number {
    return this.deps.deadlineAt - this.deps.now();
  }

  /**
   * The targets a node could send this request to: a conditional only reaches the target its conditions choose, a
   * loadbalance only its weighted targets; fallbacks reach all of theirs.
   */
  private reachable(node: Node): ResolvedLeaf[] {
    if (node.kind === "leaf") return [node.leaf];
    const { strategy, children } = node;
    if (strategy.mode === "single") return children[0] ? this.reachable(children[0]) : [];
    if (strategy.mode === "conditional") {
      const chosen = this.chosen(node);
      return chosen ? this.reachable(chosen) : [];
    }
    const live = strategy.mode === "loadbalance" ? children.filter((child) => child.weight > 0) : children;
    return live.flatMap((child) => this.reachable(child));
  }

  /**
   * A subtree is healthy while a target it could send to is not behind an open circuit. One that can route nowhere
   * (a conditional without a match) counts as healthy, so that running it reports the config error at once.
   */
  private healthy(node: Node): boolean {
    const leaves = this.reachable(node);
    return (
      leaves.length === 0 ||
      leaves.some(
        (leaf) => !leaf.breaker || this.deps.breaker.phase(leaf.breaker.key, leaf.breaker.settings) !== "open",
      )
    );
  }

  private skip(node: Node, reason: NonNullable<AttemptRecord["skipped"]>): void {
    for (const leaf of this.reachable(node)) {
      this.trail.push({ target: leaf.path, provider: leaf.provider, retry: 0, latencyMs: 0, skipped: reason });
    }
  }

  private async fallback(children: Node[], codes: readonly number[] | undefined): Promise<RouteSuccess> {
    const healthy = children.map((child) => this.healthy(child));
    // A breaker only steers traffic to a healthy alternative; it never turns the request away on its own: an
    // option behind an open circuit is passed over (the trail says so) while a healthy one is left, and tried once
    // every healthy one failed. It moves to the end of the list; a status that stops the fallback still stops it.
    const steer = healthy.some(Boolean);
    const queue = children.map((child, i) => ({ child, passOver: steer && !healthy[i] }));
    let lastError: GatewayError | undefined;
    // The loop also visits what is pushed to the queue while it runs: the last-resort tries.
    for (const { child, passOver } of queue) {
      if (passOver) {
        this.skip(child, "circuit_open");
        queue.push({ child, passOver: false });
        continue;
      }
      if (this.remaining() <= 0) {
        this.skip(child, "deadline");
        continue;
      }
      try {
        return await this.run(child);
      } catch (error) {
        if (error instanceof RoutingStop || !(error instanceof GatewayError)) throw error;
        lastError = error;
        if (!fallsBack(error, codes)) throw error;
      }
    }
    throw lastError ?? deadlineError();
  }

  private async leaf(leaf: ResolvedLeaf): Promise<RouteSuccess> {
    if (this.remaining() <= 0) {
      this.skip({ kind: "leaf", path: leaf.path, weight: 0, leaf }, "deadline");
      throw deadlineError();
    }
    const model = this.deps.modelOf(leaf);
    for (let retry = 0; ; retry++) {
      const started = this.deps.now();
      const record: AttemptRecord = {
        target: leaf.path,
        provider: leaf.provider,
        retry,
        latencyMs: 0,
        startedAt: started,
      };
      if (model !== undefined) record.model = model;
      this.trail.push(record);
      this.last = { path: leaf.path, retries: retry };
      const timeoutMs = Math.max(
        1,
        Math.min(leaf.routed.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, this.remaining()),
      );
      try {
        const response = await this.deps.attempt(leaf, timeoutMs);
        record.status = response.status;
        record.latencyMs = this.deps.now() - started;
        // A cache hit says nothing about the target's health: reporting it would close a half-open circuit
        // without the provider ever being probed.
        if (isServedFromCache(response)) record.cached = true;
        else this.report(leaf, true);
        return { response, path: leaf.path, retries: retry };
      } catch (raw) {
        const error = toGatewayError(raw);
        record.status = error.status;
        record.error = error.message;
        record.latencyMs = this.deps.now() - started;
        if (raw instanceof RoutingStop) throw raw;
        if (raw instanceof TargetRefused) throw raw;
        if (isBreakerFailure(error.status)) this.report(leaf, false);
        const failure = {
          status: error.status,
          network: error.code === "upstream_unreachable",
          retryAfterMs: parseRetryAfter(
            { retryAfter: error.extraHeaders["retry-after"], retryAfterMs: error.extraHeaders["retry-after-ms"] },
            Date.now(),
          ),
        };
        const decision = decideRetry(failure, leaf.retry, retry, this.remaining(), this.deps.random);
        if (!decision.retry) throw error;
        await this.deps.sleep(decision.delayMs);
      }
    }
  }

  private report(leaf: ResolvedLeaf, success: boolean): void {
    if (leaf.breaker) this.deps.breaker.report(leaf.breaker.key, leaf.breaker.settings, success);
  }
}

function deadlineError(): GatewayError {
  return new GatewayError(408, "the routing deadline passed before any target answered", {
    type: "timeout_error",
    code: "routing_deadline_exceeded",
  });
}
