import type { CheckContext, Hook, HookPhase, HookResult } from "../../guardrails/types";
import type { AppContext } from "../context";
import { customHostPolicy } from "../lib/custom-host";
import { waitUntilOf } from "../wait-until";
import { classifierFor } from "./guardrail-classifier";
import { policedFetch } from "./guardrail-fetch";
import { runHooks, type HooksRun } from "./guardrail-engine";
import type { RequestGuardrails } from "./guardrail-state";

/** What a phase's checks judge besides the request-wide facts. */
export interface PhaseInput {
  phase: HookPhase;
  text: string;
  responseJson?: unknown;
  model?: string;
  provider?: string;
  /** The text is a prefix of a streamed answer (CheckContext.partial). */
  partial?: boolean;
}

/** The CheckContext of one run: request facts, the text, and network access under the custom-host policy. */
export function checkContext(
  c: AppContext,
  state: RequestGuardrails,
  input: PhaseInput,
  signal: AbortSignal,
): CheckContext {
  const context: CheckContext = {
    ...input,
    requestJson: state.requestJson,
    metadata: state.metadata,
    operation: state.operation,
    signal,
    fetch: policedFetch(customHostPolicy(c.env)),
    classify: classifierFor(c, signal),
  };
  // An answer's redaction numbers after the input's placeholders, which are restored in the answer later.
  if (input.phase === "output" && state.restore.size > 0) context.placeholders = state.restore;
  return context;
}

/**
 * Run a phase's synchronous hooks now; its `async: true` hooks run after the response (waitUntil) and their
 * results are only added to the log (`results`, which the logger reads once the response is done).
 */
export async function runPhase(
  c: AppContext,
  state: RequestGuardrails,
  hooks: readonly Hook[],
  input: PhaseInput,
  into: HookResult[],
): Promise<HooksRun> {
  const now = hooks.filter((hook) => !hook.async);
  const later = hooks.filter((hook) => hook.async);
  if (later.length > 0) {
    const background = runHooks(later, checkContext(c, state, input, new AbortController().signal)).then((run) => {
      into.push(...run.results);
    });
    waitUntilOf(c)(background.catch((error: unknown) => console.warn("guardrails: async hook failed", error)));
  }
  const run = await runHooks(now, checkContext(c, state, input, new AbortController().signal));
  into.push(...run.results);
  return run;
}
