import type { CheckResult, HookResult } from "../../guardrails/types";

/*
 * Every text of a chat or completions answer that output hooks judge: each choice's content (or a completion's
 * text) and each tool call's `function.arguments`, so `n > 1` and tool calls are covered, not only the first
 * choice. A hook's verdict covers them all (it fails when it fails on any of them), and a transformation
 * (redaction) is put back where the text came from; in tool-call arguments only inside JSON string values, so
 * the arguments stay valid JSON (guardrail-tool-arguments.ts).
 */

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Where a judged text lives: a choice's content or text, or one of its tool calls' arguments. */
export interface JudgedText {
  choice: number;
  /** Index in the choice's `message.tool_calls`; absent for the content. */
  tool?: number;
  text: string;
}

function contentOf(content: unknown): string | null {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return null;
  const parts = content.flatMap((part: unknown) =>
    isObject(part) && part.type === "text" && typeof part.text === "string" ? [part.text] : [],
  );
  return parts.length > 0 ? parts.join("\n") : null;
}

function argumentsOf(call: unknown): string | null {
  if (!isObject(call) || !isObject(call.function)) return null;
  return typeof call.function.arguments === "string" ? call.function.arguments : null;
}

/** The texts of one choice: its content (or completion text), then each tool call's arguments. */
function textsOfChoice(choice: unknown, index: number): JudgedText[] {
  if (!isObject(choice)) return [];
  if (!isObject(choice.message)) return typeof choice.text === "string" ? [{ choice: index, text: choice.text }] : [];
  const out: JudgedText[] = [];
  const content = contentOf(choice.message.content);
  if (content !== null) out.push({ choice: index, text: content });
  const calls = Array.isArray(choice.message.tool_calls) ? choice.message.tool_calls : [];
  calls.forEach((call: unknown, tool) => {
    const args = argumentsOf(call);
    if (args !== null) out.push({ choice: index, tool, text: args });
  });
  return out;
}

/** Every judged text of an OpenAI-shaped answer; null when the answer has no `choices` (a native format). */
export function choiceTexts(json: Json): JudgedText[] | null {
  if (!Array.isArray(json.choices)) return null;
  return json.choices.flatMap((choice: unknown, index) => textsOfChoice(choice, index));
}

/** True when the simple path (the first choice's text only) judges everything this answer holds. */
export function onlyFirstContent(texts: readonly JudgedText[]): boolean {
  return texts.every((t) => t.choice === 0 && t.tool === undefined);
}

function mergeChecks(runs: readonly CheckResult[]): CheckResult | undefined {
  const [first] = runs;
  if (!first) return undefined;
  const failed = runs.find((r) => !r.verdict);
  return {
    ...(failed ?? first),
    verdict: failed === undefined,
    error: runs.find((r) => r.error !== null)?.error ?? null,
    execution_time: runs.reduce((sum, r) => sum + r.execution_time, 0),
    transformed: runs.some((r) => r.transformed),
  };
}

/**
 * One hook_results list from the runs on each text (same hooks, same order): a hook or check fails when it failed
 * on any text, and then reports that text's `data`; times add up; `transformed` when any text was transformed.
 */
export function mergeHookRuns(runs: readonly HookResult[][]): HookResult[] {
  const [first = []] = runs;
  return first.map((hook, h) => {
    const same = runs.flatMap((run) => (run[h] ? [run[h]] : []));
    const checks = hook.checks.flatMap((_, k) => {
      const merged = mergeChecks(same.flatMap((r) => (r.checks[k] ? [r.checks[k]] : [])));
      return merged ? [merged] : [];
    });
    return {
      ...hook,
      verdict: same.every((r) => r.verdict),
      transformed: same.some((r) => r.transformed),
      execution_time: same.reduce((sum, r) => sum + r.execution_time, 0),
      checks,
    };
  });
}
