import { costOf, priceFor, worstCaseCost, type ModelPrice } from "../../schema/pricing";
import type { RequestOutcome } from "../context";
import { GatewayError } from "../errors";
import type { ResolvedLeaf } from "./leaf";
import { modelFor, type OperationName } from "../routing/request";
import { RoutingStop } from "../routing/trail";
import type { Caller } from "./caller";
import { denialError } from "./denial";
import { DEFAULT_OUTPUT_TOKENS, hasOutputLimit, outputTokens, promptTokens, promptTokensBound } from "./estimate";
import { describeSubject, limiterStub, RESERVATION_TTL_MS, type Subject } from "./limits/client";
import type { LocalLease, Need } from "./limits/lease";
import {
  installLease,
  LEASE_WINDOW_MS,
  returnLeased,
  takeLeased,
  type LeaseContext,
  type RequestNeed,
} from "./limits/leases";
import { reserveNano, toNano, type Limits } from "./limits/ledger";
import { checkTarget } from "./policy";
import { hasLimits, type VirtualKeyRecord } from "./records";

/**
 * Admission for one request (the "admission" and "settle" steps of the pipeline: docs/architecture.md).
 *
 * Before the first call: every target is checked against the allowlists (403), the worst case of each is priced,
 * and the gateway key's limiter is asked once, right away, while the engine validates the body. Each virtual key's
 * limiter is asked once, on the first attempt of a target that uses it (concurrently with the gateway key's answer
 * for the first target), so a fallback's virtual key is not charged for requests it never serves. Keys without
 * limits cost no call at all. After the response (for streams: once it has been sent), every reservation is settled
 * with what really happened, in waitUntil, off the hot path.
 */
interface LeafCost {
  model: string | undefined;
  price: ModelPrice | null;
  tokens: number;
  costUsd: number;
}

/** What a granted admission holds: a reservation of its own at the limiter, or a share of this isolate's lease. */
type Ticket = { subject: Subject; limits: Limits; need: Need } & (
  { kind: "reservation"; id: string } | { kind: "lease"; lease: LocalLease }
);

type Admitted =
  | { kind: "free" }
  | { kind: "granted"; ticket: Ticket }
  | { kind: "refused"; error: GatewayError; deniedBy?: "rate_limit" | "budget" };

const FREE: Promise<Admitted> = Promise.resolve({ kind: "free" });

export interface GateInput {
  env: Env;
  outcome: RequestOutcome;
  waitUntil: (promise: Promise<unknown>) => void;
  caller: Caller | null;
  operation: OperationName;
  json: unknown;
  leaves: readonly ResolvedLeaf[];
  hasConfig: boolean;
}

function leafCost(operation: OperationName, json: unknown, leaf: ResolvedLeaf): LeafCost {
  const overrides = leaf.routed.overrideParams;
  const body = overrides && typeof json === "object" && json !== null ? { ...json, ...overrides } : json;
  const model = modelFor(json, overrides);
  const output = outputTokens(operation, body);
  const price = model === undefined ? null : priceFor(leaf.provider, model);
  // tpm counts the estimate (as providers' own limiters do); the budget reserves an upper bound of the prompt.
  const tokens = promptTokens(operation, body) + output;
  return {
    model,
    price,
    tokens,
    costUsd: price ? worstCaseCost(price, promptTokensBound(operation, body), output) : 0,
  };
}

/**
 * A budget is only hard if the answer cannot cost more than was reserved for it: a request under a budget that
 * does not limit its answer gets the output allowance the reservation assumed (DEFAULT_OUTPUT_TOKENS) as its
 * max_completion_tokens. Set per target, so the body the provider gets (and the cache key) says so.
 */
function capOutput(operation: OperationName, json: unknown, leaf: ResolvedLeaf): void {
  const overrides = leaf.routed.overrideParams;
  const body = overrides && typeof json === "object" && json !== null ? { ...json, ...overrides } : json;
  if (hasOutputLimit(operation, body)) return;
  leaf.routed.overrideParams = { ...overrides, max_completion_tokens: DEFAULT_OUTPUT_TOKENS };
}

const budgeted = (limits: Limits | undefined): boolean => limits !== undefined && limits.budgetUsd !== null;

/** A budget cannot be enforced for a model without a price: such requests are refused rather than run unmetered. */
function requirePrice(subject: Subject, limits: Limits, cost: LeafCost, leaf: ResolvedLeaf, hasConfig: boolean): void {
  if (limits.budgetUsd === null || cost.model === undefined || cost.price) return;
  const where = hasConfig ? `${leaf.path}: ` : "";
  throw new GatewayError(
    403,
    `${where}model "${cost.model}" (${leaf.provider}) has no price in the gateway's price table, so the budget of ${describeSubject(subject)} cannot be enforced for it`,
    { code: "model_unpriced", param: hasConfig ? "x-portkey-config" : "model" },
  );
}

const virtualSubject = (vk: VirtualKeyRecord): Subject => ({ kind: "virtual_key", id: vk.id, label: vk.slug });

export class AdmissionGate {
  private readonly costs = new Map<ResolvedLeaf, LeafCost>();
  private readonly gateway: Promise<Admitted>;
  /** Every limiter call made, to settle what each granted. */
  private readonly calls: Promise<Admitted>[] = [];
  private readonly virtualCalls = new Map<string, Promise<Admitted>>();
  /** Subjects ("gateway" or a virtual key id) whose request went on to a provider: they count against rpm. */
  private readonly reached = new Set<string>();
  /** Targets that passed admission. A winner that did not (a cache hit answers without it) cost nothing. */
  private readonly admittedLeaves = new Set<ResolvedLeaf>();

  constructor(private readonly input: GateInput) {
    const key = input.caller?.key ?? null;
    const gatewaySubject: Subject | null = key && { kind: "gateway_key", id: key.id, label: key.name };
    try {
      for (const leaf of input.leaves) {
        const model = modelFor(input.json, leaf.routed.overrideParams);
        checkTarget(key, {
          path: input.hasConfig ? leaf.path : null,
          provider: leaf.provider,
          model,
          virtualKey: leaf.virtualKey,
        });
        if (!budgeted(key?.limits) && !budgeted(leaf.virtualKey?.limits)) continue;
        capOutput(input.operation, input.json, leaf);
        if (key && gatewaySubject) requirePrice(gatewaySubject, key.limits, this.cost(leaf), leaf, input.hasConfig);
        if (leaf.virtualKey)
          requirePrice(virtualSubject(leaf.virtualKey), leaf.virtualKey.limits, this.cost(leaf), leaf, input.hasConfig);
      }
    } catch (error) {
      input.outcome.governance.deniedBy = "auth"; // what the key may use: an authorization refusal
      throw error;
    }
    // Only one target's answer is billed, so the worst case of the request is that of its dearest target.
    if (key && gatewaySubject && hasLimits(key.limits)) {
      const all = input.leaves.map((leaf) => this.cost(leaf));
      this.gateway = this.call(
        gatewaySubject,
        key.limits,
        Math.max(0, ...all.map((c) => c.tokens)),
        Math.max(0, ...all.map((c) => c.costUsd)),
        true,
      );
    } else {
      this.gateway = FREE;
    }
  }

  /** A target's estimates, computed only for keys that have limits (keys without any cost nothing here). */
  private cost(leaf: ResolvedLeaf): LeafCost {
    let cost = this.costs.get(leaf);
    if (!cost) {
      cost = leafCost(this.input.operation, this.input.json, leaf);
      this.costs.set(leaf, cost);
    }
    return cost;
  }

  private get leaseContext(): LeaseContext {
    return { env: this.input.env, waitUntil: this.input.waitUntil };
  }

  /** Admit from this isolate's lease when it has room (no round trip), else ask the subject's limiter. */
  private call(subject: Subject, limits: Limits, tokens: number, costUsd: number, stop: boolean): Promise<Admitted> {
    const need = { tokens, nano: reserveNano(costUsd), costUsd };
    const lease = takeLeased(this.leaseContext, subject, limits, need);
    const admitted = lease
      ? Promise.resolve<Admitted>({ kind: "granted", ticket: { subject, limits, need, kind: "lease", lease } })
      : this.ask(subject, limits, need, stop);
    this.calls.push(admitted);
    return admitted;
  }

  private ask(subject: Subject, limits: Limits, need: RequestNeed, stop: boolean): Promise<Admitted> {
    const id = crypto.randomUUID();
    const { tokens, costUsd } = need;
    return limiterStub(this.input.env, subject)
      .admit({ id, limits, tokens, costUsd, ttlMs: RESERVATION_TTL_MS, leaseWindowMs: LEASE_WINDOW_MS })
      .then((result): Admitted => {
        if (result.ok && result.lease) {
          // The limiter reserved room for several requests, this one included: the next ones need no round trip.
          const lease = installLease(this.leaseContext, subject, limits, id, result.lease);
          if (!lease.take(need, Date.now())) throw new Error("a fresh lease must hold the request it was sized from");
          return { kind: "granted", ticket: { subject, limits, need, kind: "lease", lease } };
        }
        if (result.ok) return { kind: "granted", ticket: { subject, limits, need, kind: "reservation", id } };
        const deniedBy = result.denial.limit === "budget" ? "budget" : "rate_limit";
        return { kind: "refused", error: denialError(subject, result.denial, limits.period, stop), deniedBy };
      })
      .catch((error: unknown): Admitted => {
        // Budgets are hard: when the limiter cannot answer, the request is refused rather than run unmetered.
        console.warn("governance limiter unavailable", error instanceof Error ? error.message : error);
        const message = `the limits of ${describeSubject(subject)} cannot be checked right now; retry shortly`;
        return {
          kind: "refused",
          error: new RoutingStop(503, message, { type: "api_error", code: "limits_unavailable" }),
        };
      });
  }

  /** One limiter call per virtual key per request. */
  private virtualCall(vk: VirtualKeyRecord): Promise<Admitted> {
    if (!hasLimits(vk.limits)) return FREE;
    const pending = this.virtualCalls.get(vk.id);
    if (pending) return pending;
    const costs = this.input.leaves.filter((leaf) => leaf.virtualKey?.id === vk.id).map((leaf) => this.cost(leaf));
    const tokens = Math.max(0, ...costs.map((c) => c.tokens));
    const costUsd = Math.max(0, ...costs.map((c) => c.costUsd));
    // A refusal stands for the whole request (retries of this target are refused without asking again), so each
    // limiter is called at most once per request; a fallback to another target can still serve it.
    const call = this.call(virtualSubject(vk), vk.limits, tokens, costUsd, false);
    this.virtualCalls.set(vk.id, call);
    return call;
  }

  /** Before each attempt: resolves when the gateway key and the target's virtual key admit it; throws their 429. */
  async admit(leaf: ResolvedLeaf): Promise<void> {
    const vk = leaf.virtualKey;
    const [gateway, virtual] = await Promise.all([this.gateway, vk ? this.virtualCall(vk) : FREE]);
    for (const admitted of [gateway, virtual]) {
      if (admitted.kind !== "refused") continue;
      if (admitted.deniedBy) this.input.outcome.governance.deniedBy = admitted.deniedBy;
      throw admitted.error;
    }
    this.reached.add("gateway");
    this.admittedLeaves.add(leaf);
    if (vk) {
      this.reached.add(vk.id);
      this.input.outcome.governance.virtualKeyId = vk.id;
    }
  }

  /** After routing: `winner` is the target that answered (null when none did). Settles in waitUntil. */
  finish(winner: ResolvedLeaf | null): void {
    const { governance } = this.input.outcome;
    // A virtual key's denial that a fallback recovered from did not refuse the request.
    if (winner && (governance.deniedBy === "rate_limit" || governance.deniedBy === "budget"))
      delete governance.deniedBy;
    if (this.calls.length === 0) return;
    this.input.waitUntil(this.settleAll(winner));
  }

  /** The winner's real cost; without reported usage (a stream cut short), its worst case, so spend never undercounts. */
  private actual(winner: ResolvedLeaf): { costUsd: number; tokens: number } {
    const cost = this.cost(winner);
    const usage = this.input.outcome.answer.usage;
    if (!usage) return { costUsd: cost.costUsd, tokens: cost.tokens };
    const tokens = usage.total_tokens ?? usage.prompt_tokens + usage.completion_tokens;
    return { costUsd: cost.price ? costOf(cost.price, usage).usd : 0, tokens };
  }

  private async settleAll(winner: ResolvedLeaf | null): Promise<void> {
    if (winner) await this.input.outcome.stream.done;
    const billed = winner !== null && this.admittedLeaves.has(winner);
    const actual = billed ? this.actual(winner) : { costUsd: 0, tokens: 0 };
    const admitted = await Promise.all(this.calls);
    await Promise.all(
      admitted.map(async (entry) => {
        if (entry.kind !== "granted") return;
        const ticket = entry.ticket;
        const { subject, limits } = ticket;
        const served = billed && (subject.kind === "gateway_key" || winner?.virtualKey?.id === subject.id);
        const used = served ? actual : { costUsd: 0, tokens: 0 };
        const reached = this.reached.has(subject.kind === "gateway_key" ? "gateway" : subject.id);
        if (ticket.kind === "lease") {
          const real = { tokens: used.tokens, nano: toNano(used.costUsd), reached };
          returnLeased(this.leaseContext, subject, ticket.lease, ticket.need, real, limits.period);
          return;
        }
        try {
          await limiterStub(this.input.env, subject).settle({
            id: ticket.id,
            ...used,
            requests: reached ? 1 : 0,
            period: limits.period,
          });
        } catch (error) {
          // The reservation is released by the object's alarm; only this request's cost goes unrecorded.
          console.warn(
            `could not settle a reservation of ${describeSubject(subject)}`,
            error instanceof Error ? error.message : error,
          );
        }
      }),
    );
  }
}
