import { maskHeaders } from "../configs/guardrail-present";
import { badRequest } from "../errors";
import { parseJsonField } from "./form-input";

/**
 * The guardrail form's JSON field: parsed as the admin API parses a body, checked for masked webhook headers (what
 * the pages show is never a secret, so saving it back would store the mask), and masked again before a refused form
 * is shown back: a header value typed into the form is never filled back into a page.
 */

/** The mask itself, asked of the presenter so the two can never disagree. */
const MASK = (maskHeaders({ headers: "" }) as { headers: string }).headers;

export function guardrailJsonOf(text: string | undefined): Record<string, unknown> {
  const value = parseJsonField(text, "guardrail");
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw badRequest("guardrail: expected a JSON object (a shorthand item or a hook)", "guardrail", "invalid_request");
  const masked = maskedHeaderPath(value, "");
  if (masked)
    throw badRequest(
      `${masked}: this is the masked value the dashboard shows, not the header; paste the real value`,
      masked,
      "invalid_guardrail",
    );
  return value as Record<string, unknown>;
}

function maskedHeaderPath(value: unknown, path: string): string | null {
  if (Array.isArray(value)) {
    for (const [i, child] of value.entries()) {
      const found = maskedHeaderPath(child, `${path}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  for (const [key, child] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (key === "headers" && child === MASK) return at;
    if (key === "headers" && typeof child === "object" && child !== null) {
      const name = Object.keys(child).find((header) => (child as Record<string, unknown>)[header] === MASK);
      if (name !== undefined) return `${at}.${name}`;
    }
    const found = maskedHeaderPath(child, at);
    if (found) return found;
  }
  return null;
}

/**
 * The JSON text to show back after a refused post: re-serialised with headers masked. Text that is not JSON cannot
 * be masked, so it is shown back only when it has no `headers` in it at all.
 */
export function echoGuardrailJson(text: string | undefined): string {
  try {
    return JSON.stringify(maskHeaders(JSON.parse(text ?? "")), null, 2);
  } catch {
    return /headers/i.test(text ?? "") ? "" : (text ?? "");
  }
}
