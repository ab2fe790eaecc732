import type { RoutingConfig } from "../../schema/config";
import type { AppContext } from "../context";
import type { OperationName } from "../routing/request";
import { denial } from "./guardrail-answer";
import { runPhase } from "./guardrail-context";
import { collectHooks } from "./guardrail-hooks";
import { rememberDeniedPii, rememberPlaceholders } from "./guardrail-log-privacy";
import { collectTargetInputHooks } from "./guardrail-target-input";
import { deniedBy, failedWithoutDeny, setGuardrails, type RequestGuardrails } from "./guardrail-state";
import { inputText, withInputText } from "./guardrail-text";
import type { ParsedRequest } from "./parse";
import type { ResolvedTargets } from "./resolve-targets";

/**
 * The input guardrail step: collect the request's hooks, run the input ones before any provider call. A deny is
 * a 446 (nothing is sent anywhere); a transformation (a mutator, PII redaction) replaces the request's text, so
 * the providers, the cache key and the logged body all see the transformed request.
 */
export async function runInputGuardrails(
  c: AppContext,
  operation: OperationName,
  config: RoutingConfig | null,
  request: ParsedRequest,
  targets: ResolvedTargets,
): Promise<void> {
  const [hooks, perTarget] = await Promise.all([
    collectHooks(c, config, targets.plan),
    collectTargetInputHooks(c, config, targets.plan),
  ]);
  if (!hooks.someApply && perTarget.size === 0) return;
  const { outcome } = c.var;
  const state: RequestGuardrails = {
    operation,
    input: hooks.input,
    outputFor: hooks.outputFor,
    results: { before_request_hooks: [], after_request_hooks: [] },
    inputFlagged: false,
    restore: new Map(),
    metadata: request.metadata ?? {},
    requestJson: request.json,
    perTarget: new Map([...perTarget].map(([path, targetHooks]) => [path, { hooks: targetHooks }])),
  };
  setGuardrails(outcome, state);
  outcome.guardrails = state.results;
  if (hooks.input.length === 0) return;
  const text = inputText(operation, request.json);
  const model = outcome.route.requestedModel;
  const run = await runPhase(
    c,
    state,
    hooks.input,
    { phase: "input", text, ...(model ? { model } : {}) },
    state.results.before_request_hooks,
  );
  const denied = deniedBy(run.results);
  if (denied) {
    rememberDeniedPii(outcome, hooks.input, text); // the logged request never holds what was denied on
    throw denial(c, state, denied.id, "input");
  }
  state.inputFlagged = failedWithoutDeny(run.results);
  for (const [placeholder, original] of run.restore) state.restore.set(placeholder, original);
  rememberPlaceholders(outcome, run.restore); // the client gets the originals back; the log keeps placeholders
  if (run.transformed) {
    request.json = withInputText(operation, request.json, run.text);
    state.requestJson = request.json;
    outcome.requestBody = request.json; // the log never holds what the redaction removed
  }
}
