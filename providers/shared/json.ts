import type { z } from "zod";
import { MalformedUpstreamError } from "../types";

/** Validate a provider payload; a 2xx body that does not match the provider's documented shape is a 502. */
export function parseUpstream<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue ? `${issue.path.join(".") || "(root)"}: ${issue.message}` : "unknown shape";
    throw new MalformedUpstreamError(`malformed ${what} from upstream (${where})`);
  }
  return result.data;
}

/** Parse JSON text; invalid JSON from a provider is a 502, not a crash. */
export function parseJsonText(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new MalformedUpstreamError(`upstream sent invalid JSON in ${what}`);
  }
}
