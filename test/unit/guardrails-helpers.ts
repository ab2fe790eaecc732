import type { CheckContext, HookPhase } from "../../guardrails/types";

/** A check context as the pipeline builds one; `text` is what the check judges. */
export function checkContext(text: string, overrides: Partial<CheckContext> = {}): CheckContext {
  const phase: HookPhase = overrides.phase ?? "input";
  return {
    phase,
    text,
    requestJson: { model: "gpt-4o-mini", messages: [{ role: "user", content: text }] },
    metadata: {},
    operation: "chat",
    signal: new AbortController().signal,
    ...overrides,
  };
}
