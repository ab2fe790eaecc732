import type { RoutingConfig } from "../../schema/config";
import type { Hook } from "../../guardrails/types";
import type { AppContext } from "../context";
import type { ResolvedLeaf } from "../governance/leaf";
import { leavesOf, type Hooks, type LeafSpec, type PlanNode } from "../routing/inherit";
import { rememberDeniedPii, rememberPlaceholders } from "./guardrail-log-privacy";
import { denial } from "./guardrail-answer";
import { runPhase } from "./guardrail-context";
import { normaliseHookList } from "./guardrail-engine";
import { deniedBy, failedWithoutDeny, guardrailsOf, type RequestGuardrails } from "./guardrail-state";
import { inputText, withInputText } from "./guardrail-text";

/*
 * Input hooks of nested targets. The config root's input hooks run once, before routing (guardrail-input.ts); a
 * target inside `targets` (at any depth) that sets its own `input_guardrails` / `before_request_hooks`, or inherits
 * them from a group below the root, runs them when the engine tries it: after the root's, on the request as the
 * root's hooks left it. A deny is that attempt's 446 (no provider call; `on_status_codes` may fall back on it), a
 * redaction changes only what that target receives (and its cache key), and the results join the request's
 * before_request_hooks. They run once per target: a retry of the same target reuses the verdict.
 */

const INPUT_FIELDS = [
  ["input_guardrails", "shorthand"],
  ["before_request_hooks", "full"],
] as const;

type Attempt = (leaf: ResolvedLeaf, timeoutMs: number) => Promise<Response>;

/** The input lists a leaf has beyond the root's (a list the root set itself already ran before routing). */
function ownInputLists(root: RoutingConfig | null, hooks: Hooks) {
  return INPUT_FIELDS.flatMap(([field, form]) => {
    const list = hooks[field];
    return list && list !== root?.[field] ? [{ field, form, list }] : [];
  });
}

/**
 * A hook without an id of its own is named by its field and position (`input_guardrails[0]`); on a nested target
 * the target's place goes first (`targets[0].input_guardrails[0]`), so its results are told apart from the root's.
 */
function withTargetIds(hooks: Hook[], path: string, field: string): Hook[] {
  const where = path.replace(/^config\.?/, "");
  return hooks.map((hook, i) =>
    hook.id === `${field}[${i}]` && where ? { ...hook, id: `${where}.${hook.id}` } : hook,
  );
}

/** Every nested target's own input hooks, normalised before routing (a bad check is a 400 before any call). */
export async function collectTargetInputHooks(
  c: AppContext,
  config: RoutingConfig | null,
  plan: PlanNode<LeafSpec>,
): Promise<Map<string, Hook[]>> {
  const perTarget = new Map<string, Hook[]>();
  await Promise.all(
    leavesOf(plan).map(async (leaf) => {
      const lists = ownInputLists(config, leaf.settings.hooks);
      const hooks = await Promise.all(
        lists.map(async ({ field, form, list }) =>
          withTargetIds(await normaliseHookList(c, list, "input", form, `${leaf.path}.${field}`), leaf.path, field),
        ),
      );
      if (hooks.flat().length > 0) perTarget.set(leaf.path, hooks.flat());
    }),
  );
  return perTarget;
}

/** Run one target's own input hooks on the request as the root's hooks left it; throws its 446 on a deny. */
async function runForTarget(c: AppContext, state: RequestGuardrails, path: string, hooks: Hook[]): Promise<void> {
  const base = state.requestJson;
  const model = c.var.outcome.route.requestedModel;
  const run = await runPhase(
    c,
    state,
    hooks,
    { phase: "input", text: inputText(state.operation, base), ...(model ? { model } : {}) },
    state.results.before_request_hooks,
  );
  const denied = deniedBy(run.results);
  if (denied) {
    rememberDeniedPii(c.var.outcome, hooks, inputText(state.operation, base));
    throw denial(c, state, denied.id, "input");
  }
  const target = state.perTarget.get(path);
  if (!target) return;
  target.flagged = failedWithoutDeny(run.results);
  target.restore = run.restore;
  rememberPlaceholders(c.var.outcome, run.restore);
  if (run.transformed) {
    target.json = withInputText(state.operation, base, run.text);
    c.var.outcome.requestBody = target.json; // the log never holds what a redaction removed
  }
}

/** The request body this target receives: its own redaction when its hooks transformed it, else the shared one. */
export function targetRequestJson(c: AppContext, path: string, shared: unknown): unknown {
  return guardrailsOf(c.var.outcome)?.perTarget.get(path)?.json ?? shared;
}

/** Around an attempt: the target's own input hooks first (once per target), then the attempt (cache, provider). */
export function withTargetInputHooks(c: AppContext, attempt: Attempt): Attempt {
  const runs = new Map<string, Promise<void>>();
  return async (leaf, timeoutMs) => {
    const state = guardrailsOf(c.var.outcome);
    if (state) state.attemptPath = leaf.path;
    const hooks = state?.perTarget.get(leaf.path)?.hooks ?? [];
    if (state && hooks.length > 0) {
      let run = runs.get(leaf.path);
      if (!run) {
        run = runForTarget(c, state, leaf.path, hooks);
        runs.set(leaf.path, run);
      }
      await run;
    }
    const response = await attempt(leaf, timeoutMs);
    // An earlier target's 446 does not make the request denied once another target answered.
    const { governance } = c.var.outcome;
    if (response.ok && governance.deniedBy === "guardrail") delete governance.deniedBy;
    return response;
  };
}
