import { CheckError } from "./check-error";
import { getCheck } from "./registry";
import type { CheckContext, CheckOutcome, CheckResult, ConfiguredCheck, Hook, HookResult } from "./types";

/**
 * Runs a phase's hooks. Hooks run concurrently; a hook's checks run concurrently, or one after another when the
 * hook is `sequential` (each then judges the text as the previous one left it). A hook passes when every enabled
 * check passes; a check that throws passes unless its parameters say `failOnError: true`.
 *
 * Transformations (mutators, redaction) compose: when several concurrent checks or hooks transform the text, the
 * second and later ones (in config order) run again on the text the earlier ones produced, so no redaction is lost.
 *
 * The runner adds nothing of the text to results: `data` is what each check chose to say, and an unexpected
 * error is reported by its name only (see CheckError).
 */

export interface PhaseRun {
  /** One per hook run, in config order: Portkey's hook_results entries. */
  results: HookResult[];
  /** True when every synchronous hook passed. */
  verdict: boolean;
  /** True when a synchronous hook with `deny: true` failed: the request (input) or answer (output) is refused. */
  denied: boolean;
  /** The text after every transformation (the input unchanged when there was none). */
  text: string;
  transformed: boolean;
  /** Set only when `transformed`. */
  transformedText?: string;
  /** Placeholders that redacting checks put in, mapped to their originals (never logged). */
  restore: Map<string, string>;
}

export interface RunOptions {
  /** Milliseconds, for execution_time; performance.now() by default. */
  clock?: () => number;
}

interface CheckRun {
  result: CheckResult;
  outcome?: CheckOutcome;
  /** The text after this check. */
  text: string;
}

interface HookRun {
  result: HookResult;
  text: string;
  restore: Map<string, string>;
}

const elapsed = (clock: () => number, started: number) => Math.max(0, Math.round(clock() - started));

function errorOf(error: unknown): { name: string; message: string } {
  if (error instanceof CheckError) return { name: error.name, message: error.message };
  const name = error instanceof Error ? error.name : "Error";
  return { name, message: `the check failed with ${name}` };
}

async function runCheck(
  check: ConfiguredCheck,
  context: CheckContext,
  text: string,
  clock: () => number,
): Promise<CheckRun> {
  const started = clock();
  try {
    const definition = getCheck(check.id);
    const parameters = definition.parameters.safeParse(check.parameters);
    if (!parameters.success) throw new CheckError("invalid parameters");
    const outcome = await definition.run({ ...context, text }, parameters.data);
    const transformed = outcome.transformedText !== undefined && outcome.transformedText !== text;
    const result = { id: check.id, verdict: outcome.verdict, data: outcome.data ?? null, error: null, transformed };
    return {
      result: { ...result, execution_time: elapsed(clock, started) },
      outcome,
      text: transformed ? (outcome.transformedText ?? text) : text,
    };
  } catch (error) {
    const verdict = check.parameters.failOnError !== true;
    const result = { id: check.id, verdict, data: null, error: errorOf(error), transformed: false };
    return { result: { ...result, execution_time: elapsed(clock, started) }, text };
  }
}

/**
 * Run `items` concurrently on `text`; then, in order, every item after the first one that transformed runs again
 * on the text transformed so far (only those that transformed the original: the others judged it as it was).
 */
async function concurrentlyThenChain<T, R extends { text: string }>(
  items: readonly T[],
  text: string,
  run: (item: T, text: string) => Promise<R>,
): Promise<{ runs: R[]; text: string }> {
  const runs: R[] = await Promise.all(items.map((item) => run(item, text)));
  let current = text;
  for (const [i, item] of items.entries()) {
    const first = runs[i];
    if (!first || first.text === text) continue;
    const final: R = current === text ? first : await run(item, current);
    runs[i] = final;
    current = final.text;
  }
  return { runs, text: current };
}

async function inOrder(checks: readonly ConfiguredCheck[], context: CheckContext, text: string, clock: () => number) {
  const runs: CheckRun[] = [];
  let current = text;
  for (const check of checks) {
    const run = await runCheck(check, context, current, clock);
    runs.push(run);
    current = run.text;
  }
  return { runs, text: current };
}

function mergeRestore(into: Map<string, string>, from: ReadonlyMap<string, string> | undefined): void {
  if (from) for (const [placeholder, original] of from) into.set(placeholder, original);
}

async function runHook(hook: Hook, context: CheckContext, text: string, clock: () => number): Promise<HookRun> {
  const started = clock();
  const enabled = hook.checks.filter((check) => check.isEnabled);
  const { runs, text: after } = hook.sequential
    ? await inOrder(enabled, context, text, clock)
    : await concurrentlyThenChain(enabled, text, (check, current) => runCheck(check, context, current, clock));
  const restore = new Map<string, string>();
  for (const run of runs) mergeRestore(restore, run.outcome?.restore);
  const checks = runs.map((run) => run.result);
  const result: HookResult = {
    id: hook.id,
    type: hook.type,
    verdict: checks.every((check) => check.verdict),
    deny: hook.deny,
    async: hook.async,
    transformed: checks.some((check) => check.transformed),
    execution_time: elapsed(clock, started),
    checks,
  };
  return { result, text: after, restore };
}

/**
 * Run hooks of the context's phase (others are skipped). `async: true` hooks given here run too but only inform:
 * they never deny, transform or count in the verdict. Use runPhase to keep them for after the response.
 */
export async function runHooks(
  hooks: readonly Hook[],
  context: CheckContext,
  options: RunOptions = {},
): Promise<PhaseRun> {
  const clock = options.clock ?? (() => performance.now());
  const phaseHooks = hooks.filter((hook) => hook.phase === context.phase);
  const effective = phaseHooks.filter((hook) => !hook.async);
  const informative = phaseHooks.filter((hook) => hook.async);
  const [chained, background] = await Promise.all([
    concurrentlyThenChain(effective, context.text, (hook, current) => runHook(hook, context, current, clock)),
    Promise.all(informative.map((hook) => runHook(hook, context, context.text, clock))),
  ]);
  const byHook = new Map<Hook, HookRun>();
  effective.forEach((hook, i) => byHook.set(hook, chained.runs[i] as HookRun));
  informative.forEach((hook, i) => byHook.set(hook, background[i] as HookRun));
  const results = phaseHooks.flatMap((hook) => byHook.get(hook)?.result ?? []);
  const restore = new Map<string, string>();
  for (const run of chained.runs) mergeRestore(restore, run.restore);
  const transformed = chained.text !== context.text;
  return {
    results,
    verdict: chained.runs.every((run) => run.result.verdict),
    denied: chained.runs.some((run) => !run.result.verdict && run.result.deny),
    text: chained.text,
    transformed,
    ...(transformed ? { transformedText: chained.text } : {}),
    restore,
  };
}

/** The hooks to run now and the `async: true` ones to run after the response (waitUntil), only to be logged. */
export function splitDeferred(hooks: readonly Hook[]): { now: Hook[]; deferred: Hook[] } {
  return { now: hooks.filter((hook) => !hook.async), deferred: hooks.filter((hook) => hook.async) };
}

/** Run a phase's synchronous hooks; its async ones come back in `deferred` for the caller's waitUntil. */
export async function runPhase(
  hooks: readonly Hook[],
  context: CheckContext,
  options: RunOptions = {},
): Promise<PhaseRun & { deferred: Hook[] }> {
  const { now, deferred } = splitDeferred(hooks);
  return { ...(await runHooks(now, context, options)), deferred };
}
