import type { RoutingConfig } from "../../schema/config";
import type { Hook, HookPhase } from "../../guardrails/types";
import type { AppContext } from "../context";
import { badRequest } from "../errors";
import type { Hooks, LeafSpec, PlanNode } from "../routing/inherit";
import { leavesOf } from "../routing/inherit";
import { keyDefaultGuardrails } from "./guardrail-key-defaults";
import { normaliseHookList } from "./guardrail-engine";

/*
 * Which hooks apply to a request, from every place Portkey lets them be set, in this order:
 *   1. the config (inline, saved or the key's default config): input hooks from its root, output hooks per target
 *      (nested targets inherit their parent's lists or replace them: src/routing/inherit.ts);
 *   2. the x-portkey-default-input-guardrails / -output-guardrails headers (JSON arrays of shorthand items);
 *   3. the gateway key's own default guardrails, which a caller cannot remove: they are always added.
 */

const HEADER = { input: "x-portkey-default-input-guardrails", output: "x-portkey-default-output-guardrails" } as const;

export interface RequestHooks {
  input: Hook[];
  outputFor: (path: string) => Hook[];
  /** Some hook applies to this request (input, or output on some target). */
  someApply: boolean;
}

function headerItems(c: AppContext, phase: HookPhase): unknown[] {
  const raw = c.req.header(HEADER[phase])?.trim();
  if (!raw) return [];
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw badRequest(`${HEADER[phase]} is not valid JSON`, HEADER[phase], "invalid_guardrails");
  }
  if (!Array.isArray(json))
    throw badRequest(`${HEADER[phase]}: expected a JSON array`, HEADER[phase], "invalid_guardrails");
  return json;
}

/** The hooks a node's own (or inherited) fields define for one phase. */
async function nodeHooks(c: AppContext, hooks: Hooks, phase: HookPhase, path: string): Promise<Hook[]> {
  const shorthand = phase === "input" ? "input_guardrails" : "output_guardrails";
  const full = phase === "input" ? "before_request_hooks" : "after_request_hooks";
  const [a, b] = await Promise.all([
    normaliseHookList(c, hooks[shorthand], phase, "shorthand", `${path}.${shorthand}`),
    normaliseHookList(c, hooks[full], phase, "full", `${path}.${full}`),
  ]);
  return [...a, ...b];
}

/** Every hook of the request; a bad check or an unknown saved guardrail is a 400 naming its path. */
export async function collectHooks(
  c: AppContext,
  config: RoutingConfig | null,
  plan: PlanNode<LeafSpec>,
): Promise<RequestHooks> {
  const extra = async (phase: HookPhase) => {
    const [fromHeader, fromKey] = await Promise.all([
      normaliseHookList(c, headerItems(c, phase), phase, "shorthand", HEADER[phase]),
      keyDefaultGuardrails(c, phase),
    ]);
    return [...fromHeader, ...fromKey];
  };
  const [input, extraOutput] = await Promise.all([
    config
      ? nodeHooks(c, config, "input", "config").then(async (own) => [...own, ...(await extra("input"))])
      : extra("input"),
    extra("output"),
  ]);
  const perLeaf = new Map<string, Hook[]>();
  await Promise.all(
    leavesOf(plan).map(async (leaf) => {
      perLeaf.set(leaf.path, [...(await nodeHooks(c, leaf.settings.hooks, "output", leaf.path)), ...extraOutput]);
    }),
  );
  const someApply = input.length > 0 || [...perLeaf.values()].some((hooks) => hooks.length > 0);
  return { input, outputFor: (path) => perLeaf.get(path) ?? extraOutput, someApply };
}
