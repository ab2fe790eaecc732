import { plainTextError } from "../shared/errors";
import type { NormalisedUpstreamError } from "../types";
import { restErrorSchema } from "./wire";

/**
 * Cloudflare's API errors are `{"success": false, "errors": [{"code": 7003, "message": "..."}]}`; the binding's
 * failures are turned into the same shape by the gateway (src/pipeline/binding-call.ts). The first error's
 * message and code are kept.
 */
export function parseWorkersAiError(status: number, bodyText: string): NormalisedUpstreamError {
  let json: unknown;
  try {
    json = JSON.parse(bodyText);
  } catch {
    return plainTextError(status, bodyText);
  }
  const parsed = restErrorSchema.safeParse(json);
  const first = parsed.success ? parsed.data.errors[0] : undefined;
  if (!first) return plainTextError(status, bodyText);
  return {
    message: first.message || `upstream error ${status}`,
    type: status === 429 ? "rate_limit_error" : status < 500 ? "invalid_request_error" : "api_error",
    code: first.code === undefined ? null : String(first.code),
    param: null,
  };
}
