import { qualifyCheckId, zodIssues, type CheckValidator } from "../schema/guardrails";
import { CHECKS } from "./checks/index";
import type { CheckDefinition, HookPhase } from "./types";

/**
 * Check ids to definitions. Ids are full (`default.regexMatch`); a bare id gets `default.` on lookup, as in
 * configs. Built once per isolate from checks/index.ts; two checks with one id are a programming error.
 */
function buildRegistry(checks: readonly CheckDefinition[]): ReadonlyMap<string, CheckDefinition> {
  const registry = new Map<string, CheckDefinition>();
  for (const check of checks) {
    if (registry.has(check.id)) throw new Error(`guardrail check ${check.id} is registered twice`);
    registry.set(check.id, check);
  }
  return registry;
}

const REGISTRY = buildRegistry(CHECKS);

export class UnknownCheckError extends Error {
  constructor(readonly checkId: string) {
    super(`unknown guardrail check "${checkId}"`);
  }
}

/** The definition of a check, or undefined. */
export function checkDefinition(id: string): CheckDefinition | undefined {
  return REGISTRY.get(qualifyCheckId(id));
}

/** The definition of a check; an unknown id throws an error naming it. */
export function getCheck(id: string): CheckDefinition {
  const definition = checkDefinition(id);
  if (!definition) throw new UnknownCheckError(qualifyCheckId(id));
  return definition;
}

/** Every registered id, sorted (for error messages and docs). */
export const checkIds = (): string[] => [...REGISTRY.keys()].sort();

/** Whether this check, configured so, can judge a prefix of a streamed answer (and then deny before it is sent). */
export function isStreamable(definition: CheckDefinition, parameters: Record<string, unknown>): boolean {
  if (definition.streamable !== true) return false;
  if (!definition.streamableWhen) return true;
  const parsed = definition.parameters.safeParse(parameters);
  return parsed.success && definition.streamableWhen(parsed.data);
}

/**
 * The CheckValidator the config normaliser takes: the id must be registered (and, when `phase` is given, allowed
 * in it) and the parameters valid against the check's zod schema. Returns the parsed parameters (defaults filled).
 */
export const validateCheckParameters = ((id: string, parameters: unknown, path: string, phase?: HookPhase) => {
  const definition = checkDefinition(id);
  if (!definition)
    return { ok: false, issues: [{ path, message: `unknown check; known checks: ${checkIds().join(", ")}` }] };
  if (phase && !definition.phases.includes(phase)) {
    const where = phase === "input" ? "input (before_request_hooks)" : "output (after_request_hooks)";
    return { ok: false, issues: [{ path, message: `this check cannot run on the ${where}` }] };
  }
  const parsed = definition.parameters.safeParse(parameters ?? {});
  if (parsed.success) return { ok: true, parameters: parsed.data as Record<string, unknown> };
  return { ok: false, issues: zodIssues(parsed.error, path) };
}) satisfies CheckValidator;
