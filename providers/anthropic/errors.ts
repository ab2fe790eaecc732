import { plainTextError } from "../shared/errors";
import { UpstreamStreamError, type NormalisedUpstreamError } from "../types";
import { errorBodySchema } from "./wire";

/** Anthropic's error types and the HTTP status each comes with (docs: "HTTP errors"). */
const STATUS_BY_TYPE: Readonly<Record<string, number>> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

/** The status Anthropic pairs with an error type; an unknown type is an upstream failure (502). */
export function anthropicErrorStatus(type: string): number {
  return STATUS_BY_TYPE[type] ?? 502;
}

/**
 * An `event: error` inside a 200 stream (for example `overloaded_error` mid-answer). Carries the status Anthropic
 * would have answered with, so the pipeline can report, retry or fall back as for an HTTP error.
 */
export class AnthropicStreamError extends UpstreamStreamError {
  override readonly name = "AnthropicStreamError";

  constructor(
    readonly type: string,
    message: string,
  ) {
    super(anthropicErrorStatus(type), { message, type, code: null, param: null });
  }
}

/** `{"type":"error","error":{"type","message"}}` -> the envelope's fields; anything else is quoted as text. */
export function parseAnthropicError(status: number, bodyText: string): NormalisedUpstreamError {
  let json: unknown;
  try {
    json = JSON.parse(bodyText);
  } catch {
    return plainTextError(status, bodyText);
  }
  const parsed = errorBodySchema.safeParse(json);
  if (!parsed.success) return plainTextError(status, bodyText);
  const { type, message } = parsed.data.error;
  return { message: message || `upstream error ${status}`, type, code: null, param: null };
}
