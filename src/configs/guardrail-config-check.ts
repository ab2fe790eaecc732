import { normaliseConfigHooks } from "../../schema/guardrails";
import { gatewayCheckValidator } from "./guardrail-validator";
import { badRequest } from "../errors";

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The first guardrail problem in a config node and its nested targets (depth first), as `path: message`. */
function firstIssue(node: unknown, path: string, env: object | undefined): { path: string; message: string } | null {
  if (!isRecord(node)) return null;
  const result = normaliseConfigHooks(node, path, gatewayCheckValidator(env));
  if (!result.ok) return result.issues[0] ?? { path, message: "invalid guardrails" };
  if (!Array.isArray(node.targets)) return null;
  for (const [i, child] of node.targets.entries()) {
    const issue = firstIssue(child, `${path}.targets[${i}]`, env);
    if (issue) return issue;
  }
  return null;
}

/**
 * Check every guardrail field of a config about to be saved (a saved config, a gateway key's inline default config)
 * with the normaliser and registry requests use: an unknown check, a bad parameter or a check in the wrong phase is
 * a 400 naming its path now, not on every request later. Saved-guardrail references (strings) are resolved per
 * request, since the guardrail may be created after the config.
 */
export function checkConfigGuardrails(config: unknown, root: string, env?: object): void {
  const issue = firstIssue(config, root, env);
  if (issue) throw badRequest(`${issue.path}: ${issue.message}`, issue.path, "invalid_guardrails");
}
