import type { CheckValidator, HookPhase } from "../../schema/guardrails";
import { checkDefinition, validateCheckParameters } from "../../guardrails/registry";

/** The Workers AI binding when the deployment has one (`[ai] binding = "AI"`); checks only its shape. */
export function hasAiBinding(env: object): boolean {
  const candidate: unknown = (env as { AI?: unknown }).AI;
  return (
    typeof candidate === "object" && candidate !== null && typeof (candidate as { run?: unknown }).run === "function"
  );
}

const needsClassifier = (id: string): boolean => {
  const definition = checkDefinition(id);
  return definition !== undefined && "requiresClassifier" in definition && definition.requiresClassifier === true;
};

/**
 * The CheckValidator every place that reads guardrails uses (requests, saved configs, saved guardrails, key
 * defaults): the registry's id and parameter checks, plus the gateway's own facts. A check that needs a classifier
 * (`default.moderation`) is refused when the deployment has no `AI` binding and its parameters name no
 * `virtual_key`: a 400 at config time, never a check that silently passes. `phase` fixes the phase for validators
 * used outside a hook list (saved guardrails are phase-free until a request uses them).
 */
export function gatewayCheckValidator(env: object | undefined, fixedPhase?: HookPhase | "any"): CheckValidator {
  return (id, parameters, path, phase) => {
    const result = validateCheckParameters(
      id,
      parameters,
      path,
      fixedPhase === "any" ? undefined : (fixedPhase ?? phase),
    );
    // Without env (gateway key admin, which has none at hand) the classifier is checked per request instead.
    if (!result.ok || !needsClassifier(id) || env === undefined) return result;
    if (hasAiBinding(env) || typeof result.parameters.virtual_key === "string") return result;
    const message =
      "no moderation classifier is configured: bind Workers AI as `AI` (Llama Guard) or set `virtual_key` to a provider with a /moderations endpoint";
    return { ok: false, issues: [{ path, message }] };
  };
}
