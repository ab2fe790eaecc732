import { truncateUtf8, type LoggedBodies } from "./bodies";
import { scrub } from "./scrub";

/**
 * The variables of a prompt run, logged beside the bodies and on the same terms: only when bodies are logged (the
 * caller decides), as JSON text scrubbed by the bodies' code and cut to the same byte limit. A variable is
 * content like a message (a customer's name, a pasted key), so it never reaches a row that bodies would not.
 */
export function withPromptVariables(
  bodies: LoggedBodies,
  variables: Record<string, unknown> | undefined,
  secrets: readonly string[],
  maxBytes: number,
): LoggedBodies {
  if (variables === undefined) return bodies;
  const cut = truncateUtf8(scrub(JSON.stringify(variables), secrets), maxBytes);
  return { ...bodies, prompt_variables: cut.text, truncated: bodies.truncated || cut.truncated };
}
