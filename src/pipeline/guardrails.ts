import type { RoutingConfig } from "../../schema/config";
import type { AppContext } from "../context";
import type { OperationName } from "../routing/request";
import { finishAnswer } from "./guardrail-final";
import { runInputGuardrails } from "./guardrail-input";
import type { ParsedRequest } from "./parse";
import type { ResolvedTargets } from "./resolve-targets";
import type { RoutedAnswer } from "./route";

/*
 * The guardrail steps of the pipeline (guardrails/: one pure check per file, a registry and the runner; the
 * pipeline's side is in guardrail-*.ts). Input hooks run here before any provider call (deny: 446). Output hooks
 * run per attempt inside route (guardrail-answer.ts), so a denied answer is a status the engine can fall back on,
 * and streams are judged as they flow (guarded-stream.ts); the output step then decorates the served answer.
 */

/** Before routing: collect the request's hooks and run its input hooks (a transformation changes the request). */
export async function inputGuardrails(
  c: AppContext,
  operation: OperationName,
  config: RoutingConfig | null,
  request: ParsedRequest,
  targets: ResolvedTargets,
): Promise<void> {
  await runInputGuardrails(c, operation, config, request, targets);
}

/** After routing: hook_results, status 246 when a hook without deny failed, PII placeholders restored. */
export async function outputGuardrails(c: AppContext, answer: RoutedAnswer): Promise<RoutedAnswer> {
  return { ...answer, response: await finishAnswer(c, answer.response, answer.path) };
}
