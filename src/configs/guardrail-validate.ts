import { hookFromSavedGuardrail } from "../../schema/guardrails";
import { gatewayCheckValidator } from "./guardrail-validator";
import { badRequest } from "../errors";

/** A saved guardrail is small: a handful of checks and their parameters. */
export const MAX_GUARDRAIL_BYTES = 16 * 1024;

/**
 * Check a saved guardrail's definition with the normaliser and registry every request uses, and return the JSON to
 * store. A saved guardrail may be referenced from input or output lists, so the phase is checked per request; here
 * the check ids and parameters are. A 400 names the path inside the body (`default.wordCount.maxWords: ...`,
 * `checks[0].parameters.maxWords: ...`).
 */
export function serializeValidGuardrail(definition: Record<string, unknown>, env: object): string {
  const result = hookFromSavedGuardrail(definition, "input", "saved", "", gatewayCheckValidator(env, "any"));
  if (!result.ok) {
    const [first] = result.issues;
    const path = (first?.path ?? "").replace(/^\./, "") || "guardrail";
    throw badRequest(`${path}: ${first?.message ?? "invalid guardrail"}`, path, "invalid_guardrail");
  }
  const json = JSON.stringify(definition);
  if (new TextEncoder().encode(json).byteLength > MAX_GUARDRAIL_BYTES) {
    throw badRequest(`guardrail: over the limit of ${MAX_GUARDRAIL_BYTES} bytes`, "guardrail", "invalid_guardrail");
  }
  return json;
}
