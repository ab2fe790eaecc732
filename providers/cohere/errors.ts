import { plainTextError } from "../shared/errors";
import { UpstreamStreamError, type NormalisedUpstreamError } from "../types";
import { errorBodySchema } from "./wire";

/**
 * Cohere answers errors as `{"id": "...", "message": "..."}` with the meaning in the HTTP status alone
 * (docs.cohere.com/reference/errors), so the envelope's `type` is derived from the status.
 */
const TYPE_BY_STATUS: Readonly<Record<number, string>> = {
  400: "invalid_request_error",
  401: "authentication_error",
  402: "billing_error",
  403: "permission_error",
  404: "not_found_error",
  422: "invalid_request_error",
  429: "rate_limit_error",
  499: "request_cancelled",
  500: "api_error",
  503: "overloaded_error",
  504: "timeout_error",
};

export function cohereErrorType(status: number): string {
  return TYPE_BY_STATUS[status] ?? "upstream_error";
}

export function parseCohereError(status: number, bodyText: string): NormalisedUpstreamError {
  let json: unknown;
  try {
    json = JSON.parse(bodyText);
  } catch {
    return { ...plainTextError(status, bodyText), type: cohereErrorType(status) };
  }
  const parsed = errorBodySchema.safeParse(json);
  if (!parsed.success) return { ...plainTextError(status, bodyText), type: cohereErrorType(status) };
  return {
    message: parsed.data.message || `upstream error ${status}`,
    type: cohereErrorType(status),
    code: null,
    param: null,
  };
}

/** Cohere ended a 200 answer with `finish_reason: ERROR` (with `delta.error` in streams): an upstream failure. */
export class CohereStreamError extends UpstreamStreamError {
  override readonly name = "CohereStreamError";

  static finishedWithError(detail: string | null | undefined): CohereStreamError {
    const message = detail ? `Cohere stopped with an error: ${detail}` : "Cohere stopped with an error";
    return new CohereStreamError(502, { message, type: "upstream_error", code: "finish_reason_error", param: null });
  }
}
