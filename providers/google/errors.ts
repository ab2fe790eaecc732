import { plainTextError } from "../shared/errors";
import { UpstreamStreamError, type NormalisedUpstreamError } from "../types";
import { googleErrorEnvelopeSchema, type GoogleErrorObject } from "./wire";

/**
 * Google's error envelope is `{"error": {"code": 400, "message": "...", "status": "INVALID_ARGUMENT", "details": [...]}}`,
 * sometimes wrapped in an array of one. `status` is the canonical gRPC code name; it becomes the OpenAI `code`
 * and, lower-cased, the `type` ("invalid_argument", "resource_exhausted", "permission_denied", ...).
 */

/** The error object of a Google error envelope (or array of one), or null when the value is not one. */
export function googleErrorObject(value: unknown): GoogleErrorObject | null {
  const candidate = Array.isArray(value) && value.length === 1 ? value[0] : value;
  const parsed = googleErrorEnvelopeSchema.safeParse(candidate);
  return parsed.success ? parsed.data.error : null;
}

export function normaliseGoogleErrorObject(error: GoogleErrorObject, status: number): NormalisedUpstreamError {
  const code = error.status || null;
  return {
    message: error.message || `upstream error ${status}`,
    type: code ? code.toLowerCase() : "upstream_error",
    code,
    param: null,
  };
}

/** `ProviderAdapter.parseError` for Google: any body, JSON or not; non-JSON text is truncated to 500 characters. */
export function parseGoogleError(status: number, bodyText: string): NormalisedUpstreamError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    return plainTextError(status, bodyText);
  }
  const error = googleErrorObject(parsed);
  return error ? normaliseGoogleErrorObject(error, status) : plainTextError(status, bodyText);
}

/**
 * An error Google sent inside a 200 stream (`data: {"error": {...}}`), typically UNAVAILABLE or RESOURCE_EXHAUSTED
 * mid-generation. `status` is Google's HTTP-style code (`error.code`, 500 when absent) and `error` the normalised
 * envelope fields, so the gateway can answer or log it like an upstream error response.
 */
export class GoogleStreamError extends UpstreamStreamError {
  override readonly name = "GoogleStreamError";

  static from(error: GoogleErrorObject): GoogleStreamError {
    const status = error.code ?? 500;
    return new GoogleStreamError(status, normaliseGoogleErrorObject(error, status));
  }
}
