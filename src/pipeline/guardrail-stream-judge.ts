import type { Hook, HookResult } from "../../guardrails/types";
import type { AppContext } from "../context";
import { mergeHookRuns, type JudgedText } from "./guardrail-choices";
import { checkContext, runPhase, type PhaseInput } from "./guardrail-context";
import { runHooks, streamableOnly, type HooksRun } from "./guardrail-engine";
import { deniedBy, type RequestGuardrails } from "./guardrail-state";
import { transformArguments } from "./guardrail-tool-arguments";
import type { StreamJudge, StreamVerdict } from "./guarded-stream";
import { hooksFailedEvent } from "./hooks-failed";

/*
 * The judge of a guarded stream (guarded-stream.ts): output hooks on the texts of a streamed answer. While it
 * flows, only the prefix checks run (`partial`); at its end every hook does. One text (a single choice's content)
 * is judged as it always was; several (`n > 1` choices, tool-call arguments at the end) are judged each on its
 * own and their results merged into one entry per hook (guardrail-choices.ts), as for a JSON answer: a hook
 * fails when it fails on any text. `async` hooks then run once at the end, on all the texts joined.
 */

type Facts = { model?: string; provider?: string };
type Denial = (hookId: string) => Error;

interface JudgeSetup {
  c: AppContext;
  state: RequestGuardrails;
  hooks: Hook[];
  facts: Facts;
  /** The 446 error for the hook that denied (its message goes into the hooks_failed event). */
  denial: Denial;
}

export function streamJudge(setup: JudgeSetup): StreamJudge {
  return async (texts, final) => {
    const [only] = texts;
    if (texts.length === 1 && only && only.tool === undefined) return judgeOne(setup, only.text, final);
    return judgeEach(setup, texts, final);
  };
}

const inputOf = (facts: Facts, text: string, final: boolean): PhaseInput => ({
  phase: "output",
  text,
  ...facts,
  ...(final ? {} : { partial: true }),
});

function denyEvent(setup: JudgeSetup, hookId: string): string {
  return hooksFailedEvent(setup.denial(hookId).message, setup.state.results);
}

/** One choice's text: every hook (async ones included) on it. */
async function judgeOne(setup: JudgeSetup, text: string, final: boolean): Promise<StreamVerdict> {
  const { c, state, hooks, facts } = setup;
  const prefixHooks = streamableOnly(hooks);
  const into = state.results.after_request_hooks;
  const scratch: HookResult[] = [];
  const run = await runPhase(c, state, final ? hooks : prefixHooks, inputOf(facts, text, final), scratch);
  const denied = deniedBy(run.results);
  if (final || denied) into.splice(0, into.length, ...scratch);
  if (denied) return { deny: denyEvent(setup, denied.id), texts: [text] };
  // Only the prefix checks' redaction can be applied to a stream: what the others would change may be sent.
  return { deny: null, texts: [final ? await redactedWhole(setup, text) : run.text] };
}

/** Several texts: the synchronous hooks on each, merged; async hooks once at the end on all of them. */
async function judgeEach(setup: JudgeSetup, texts: readonly JudgedText[], final: boolean): Promise<StreamVerdict> {
  const { c, state, hooks, facts } = setup;
  const active = final ? hooks : streamableOnly(hooks);
  const now = active.filter((hook) => !hook.async);
  const runs = await Promise.all(texts.map((t) => runPhase(c, state, now, inputOf(facts, t.text, final), [])));
  const results = mergeHookRuns(runs.map((run) => run.results));
  const denied = deniedBy(results);
  const into = state.results.after_request_hooks;
  if (final || denied) into.splice(0, into.length, ...results);
  const later = active.filter((hook) => hook.async);
  if (final && later.length > 0) {
    const joined = texts.map((t) => t.text).join("\n");
    await runPhase(c, state, later, inputOf(facts, joined, true), into);
  }
  if (denied) return { deny: denyEvent(setup, denied.id), texts: texts.map((t) => t.text) };
  const views = await Promise.all(texts.map((t, i) => viewOf(setup, t, runs[i], final)));
  return { deny: null, texts: views };
}

/** A text as the client may see it: redacted by the prefix checks (tool-call arguments value by value). */
async function viewOf(setup: JudgeSetup, at: JudgedText, run: HooksRun | undefined, final: boolean) {
  if (!final) return run?.text ?? at.text;
  const whole = await redactedWhole(setup, at.text);
  if (at.tool === undefined || whole === at.text) return whole;
  // A redaction inside JSON arguments goes into each string value alone, so they stay valid JSON.
  return transformArguments(at.text, (value) => redactedWhole(setup, value));
}

/** A whole text through the prefix checks' transformations (findings at its very end included). */
async function redactedWhole(setup: JudgeSetup, text: string): Promise<string> {
  const { c, state, hooks, facts } = setup;
  const now = streamableOnly(hooks).filter((hook) => !hook.async);
  if (now.length === 0) return text;
  const input = inputOf(facts, text, true);
  return (await runHooks(now, checkContext(c, state, input, new AbortController().signal))).text;
}
