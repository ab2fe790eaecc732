import { normaliseHookList } from "../../../schema/guardrails";
import type { DefaultGuardrails } from "../../../schema/db/keys";
import { validateCheckParameters } from "../../../guardrails/registry";
import { badRequest } from "../../errors";

/**
 * Check a key's default guardrails when the admin saves them: every item must be a valid shorthand item (known
 * checks, valid parameters) or a saved guardrail's id/slug (resolved per request). A 400 names the path,
 * `default_guardrails.input[0].default.wordCount.maxWords: ...`.
 */
export function checkDefaultGuardrails(value: DefaultGuardrails): DefaultGuardrails {
  for (const phase of ["input", "output"] as const) {
    const path = `default_guardrails.${phase}`;
    const result = normaliseHookList(value[phase], {
      form: "shorthand",
      phase,
      path,
      validate: (id, parameters, at) => validateCheckParameters(id, parameters, at, phase),
    });
    if (!result.ok) {
      const [first] = result.issues;
      throw badRequest(
        first ? `${first.path}: ${first.message}` : `${path}: invalid`,
        "default_guardrails",
        "invalid_guardrails",
      );
    }
  }
  return value;
}
