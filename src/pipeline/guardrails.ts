import type { AppContext } from "../context";
import type { ParsedRequest } from "./parse";
import type { ResolvedTargets } from "./resolve-targets";
import type { RoutedAnswer } from "./route";

/*
 * The guardrail steps of the pipeline. Empty until guardrails land (guardrails/: one pure check per file, a
 * registry and the runner): input hooks will see the parsed request and the resolved targets before any provider
 * call (deny: 446); output hooks will see the answer, streamed ones as they flow, before it is sent.
 */

/** Before routing: the request's input hooks. Today a no-op. */
export async function inputGuardrails(
  _c: AppContext,
  _request: ParsedRequest,
  _targets: ResolvedTargets,
): Promise<void> {}

/** After routing: the answer's output hooks. Today the answer passes unchanged. */
export async function outputGuardrails(_c: AppContext, answer: RoutedAnswer): Promise<RoutedAnswer> {
  return answer;
}
