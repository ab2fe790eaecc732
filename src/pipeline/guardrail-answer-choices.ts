import type { Hook, HookResult } from "../../guardrails/types";
import type { AppContext } from "../context";
import { mergeHookRuns, type JudgedText } from "./guardrail-choices";
import { checkContext, runPhase, type PhaseInput } from "./guardrail-context";
import { runHooks, type HooksRun } from "./guardrail-engine";
import type { RequestGuardrails } from "./guardrail-state";
import { withContentText } from "./guardrail-text";
import { transformArguments } from "./guardrail-tool-arguments";

/*
 * Output hooks on a JSON answer with several texts (`n > 1` choices, tool-call arguments): the synchronous hooks
 * judge each text on its own (a word-count maximum applies per choice, as the client reads each choice alone),
 * and their results are merged into one entry per hook (guardrail-choices.ts). `async` hooks run once, on all the
 * texts joined, since they are only logged. Each text a hook transformed is put back where it came from.
 */

type Json = Record<string, unknown>;
type Facts = { model?: string; provider?: string };

export interface ChoicesVerdict {
  results: HookResult[];
  /** The answer with every transformed text put back (the same object when nothing was transformed). */
  json: Json;
}

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The choice's message (or the choice itself for a completion) in a copy the caller owns. */
function choiceAt(json: Json, index: number): Json | undefined {
  const choice: unknown = Array.isArray(json.choices) ? json.choices[index] : undefined;
  return isObject(choice) ? choice : undefined;
}

function putContent(json: Json, at: JudgedText, text: string): void {
  const choice = choiceAt(json, at.choice);
  if (!choice) return;
  if (isObject(choice.message)) choice.message.content = withContentText(choice.message.content, text);
  else choice.text = text;
}

function putArguments(json: Json, at: JudgedText, args: string): void {
  const message = choiceAt(json, at.choice)?.message;
  const calls: unknown = isObject(message) ? message.tool_calls : undefined;
  const call: unknown = Array.isArray(calls) && at.tool !== undefined ? calls[at.tool] : undefined;
  if (isObject(call) && isObject(call.function)) call.function.arguments = args;
}

export async function judgeChoices(
  c: AppContext,
  state: RequestGuardrails,
  hooks: readonly Hook[],
  json: Json,
  texts: readonly JudgedText[],
  facts: Facts,
  into: HookResult[],
): Promise<ChoicesVerdict> {
  const input = (text: string): PhaseInput => ({ phase: "output", text, responseJson: json, ...facts });
  const now = hooks.filter((hook) => !hook.async);
  const later = hooks.filter((hook) => hook.async);
  if (later.length > 0) await runPhase(c, state, later, input(texts.map((t) => t.text).join("\n")), into);
  const runs = await Promise.all(texts.map((t) => runPhase(c, state, now, input(t.text), [])));
  const results = mergeHookRuns(runs.map((run) => run.results));
  into.push(...results);
  if (!runs.some((run) => run.transformed)) return { results, json };
  const out = structuredClone(json);
  await Promise.all(texts.map((at, i) => putBack(c, state, now, out, at, runs[i], input)));
  return { results, json: out };
}

/** One transformed text back in its place; tool-call arguments redacted value by value (valid JSON kept). */
async function putBack(
  c: AppContext,
  state: RequestGuardrails,
  hooks: readonly Hook[],
  out: Json,
  at: JudgedText,
  run: HooksRun | undefined,
  input: (text: string) => PhaseInput,
): Promise<void> {
  if (!run?.transformed) return;
  if (at.tool === undefined) return putContent(out, at, run.text);
  const transformers = hooks.filter((_, h) => run.results[h]?.transformed === true);
  const transform = async (text: string) =>
    (await runHooks(transformers, checkContext(c, state, input(text), new AbortController().signal))).text;
  putArguments(out, at, await transformArguments(at.text, transform));
}
