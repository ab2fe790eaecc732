import { parseAnthropicError } from "../anthropic/errors";
import { errorBodySchema } from "../anthropic/wire";
import { parseGoogleError } from "../google/errors";
import type { NormalisedUpstreamError } from "../types";

/**
 * Vertex answers its own failures (auth, quota, unknown model, bad project) in Google's error envelope
 * (`error.status`, `error.code`), and passes Claude's errors through in Anthropic's (`error.type`); each body is
 * read in the format it is in. Anything else is quoted as text by the Google parser.
 */
export function parseVertexError(status: number, bodyText: string): NormalisedUpstreamError {
  let json: unknown = null;
  try {
    json = JSON.parse(bodyText);
  } catch {
    // not JSON: the Google parser quotes it as text
  }
  return errorBodySchema.safeParse(json).success
    ? parseAnthropicError(status, bodyText)
    : parseGoogleError(status, bodyText);
}
