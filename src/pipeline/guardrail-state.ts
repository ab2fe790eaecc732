import type { Hook, HookResult, HookResults } from "../../guardrails/types";
import type { RequestOutcome } from "../context";
import type { OperationName } from "../routing/request";

/**
 * One request's guardrails: the hooks that apply (input for the request, output per target, since nested targets
 * inherit or replace them) and what they said so far. Kept beside the request's outcome (a WeakMap, nothing global
 * survives the request); `results` is the same object the logger reads (outcome.guardrails.hookResults).
 */
export interface RequestGuardrails {
  operation: OperationName;
  input: Hook[];
  /** The output hooks of the target at this config path. */
  outputFor: (path: string) => Hook[];
  results: HookResults;
  /** A synchronous hook without `deny` failed: the answer goes out with status 246. */
  inputFlagged: boolean;
  /** Placeholders an input redaction put in, to be restored in the answer. Never logged. */
  restore: Map<string, string>;
  metadata: Readonly<Record<string, string>>;
  /** The request as the provider receives it (after input transformations). */
  requestJson: unknown;
  /** Nested targets' own input hooks, by config path, and what they did (guardrail-target-input.ts). */
  perTarget: Map<string, TargetInput>;
  /** The config path of the target being tried (set before each attempt): native front doors read its hooks. */
  attemptPath?: string;
}

/** One nested target's own input hooks; the rest is filled once they ran. */
export interface TargetInput {
  hooks: Hook[];
  /** The request this target receives when its hooks transformed it (a redaction only it applies). */
  json?: unknown;
  /** Its redaction's placeholders, restored when this target serves the answer. Never logged. */
  restore?: Map<string, string>;
  /** One of its hooks without deny failed: the answer it serves goes out with 246. */
  flagged?: boolean;
}

const states = new WeakMap<RequestOutcome, RequestGuardrails>();

export function setGuardrails(outcome: RequestOutcome, state: RequestGuardrails): void {
  states.set(outcome, state);
}

export function guardrailsOf(outcome: RequestOutcome): RequestGuardrails | undefined {
  return states.get(outcome);
}

export const failedWithoutDeny = (results: readonly HookResult[]) =>
  results.some((r) => !r.verdict && !r.deny && !r.async);
export const deniedBy = (results: readonly HookResult[]) => results.find((r) => !r.verdict && r.deny && !r.async);
