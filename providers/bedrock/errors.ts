import { plainTextError } from "../shared/errors";
import { UpstreamStreamError, type NormalisedUpstreamError } from "../types";
import { errorBodySchema } from "./wire";

/** Bedrock runtime's exceptions and their HTTP statuses (API reference, "Errors"). */
const STATUS_BY_EXCEPTION: Readonly<Record<string, number>> = {
  ValidationException: 400,
  AccessDeniedException: 403,
  ResourceNotFoundException: 404,
  ModelTimeoutException: 408,
  ModelErrorException: 424,
  ModelStreamErrorException: 424,
  ThrottlingException: 429,
  ServiceQuotaExceededException: 429,
  InternalServerException: 500,
  ServiceUnavailableException: 503,
  // AWS sends it as 429, but it means "the model is still loading", not "you are over quota": 503 says so to
  // clients and makes the routing engine treat it as the provider being unavailable.
  ModelNotReadyException: 503,
};

function typeForStatus(status: number): string {
  if (status === 400) return "invalid_request_error";
  if (status === 401) return "authentication_error";
  if (status === 403) return "permission_error";
  if (status === 404) return "not_found_error";
  if (status === 408) return "timeout_error";
  if (status === 429) return "rate_limit_error";
  return "api_error";
}

/**
 * `ThrottlingException:http://internal.amazon.com/...` (the x-amzn-ErrorType header), `com.amazon...#Throttling
 * Exception` (a body's `__type`) or `throttlingException` (an event-stream `:exception-type`) -> ThrottlingException.
 */
export function exceptionName(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const name = raw.split(":")[0]?.split("#").at(-1)?.trim() ?? "";
  return name === "" ? null : name.charAt(0).toUpperCase() + name.slice(1);
}

/** The status for an exception; `fallback` (the HTTP status Bedrock answered with) when the name is unknown. */
export function bedrockErrorStatus(name: string | null, fallback: number): number {
  return (name ? STATUS_BY_EXCEPTION[name] : undefined) ?? fallback;
}

function messageOf(bodyText: string): { message: string | null; type: string | null } {
  let json: unknown;
  try {
    json = JSON.parse(bodyText);
  } catch {
    return { message: null, type: null };
  }
  const parsed = errorBodySchema.safeParse(json);
  if (!parsed.success) return { message: null, type: null };
  return { message: parsed.data.message ?? parsed.data.Message ?? null, type: parsed.data.__type ?? null };
}

/**
 * A Bedrock error response -> the envelope's fields: the message from the JSON body, the exception name as
 * `code`, the type from the status. The name comes from the x-amzn-ErrorType header (or the body's `__type`).
 */
export function parseBedrockError(status: number, bodyText: string, headers?: Headers): NormalisedUpstreamError {
  const { message, type } = messageOf(bodyText);
  const name = exceptionName(headers?.get("x-amzn-errortype")) ?? exceptionName(type);
  if (message === null && name === null) return plainTextError(status, bodyText);
  const finalStatus = bedrockErrorStatus(name, status);
  const out: NormalisedUpstreamError = {
    message: message || name || `upstream error ${status}`,
    type: typeForStatus(finalStatus),
    code: name,
    param: null,
  };
  if (finalStatus !== status) out.status = finalStatus;
  return out;
}

/**
 * An exception message inside a ConverseStream (`:message-type: exception`, e.g. throttlingException or
 * modelStreamErrorException after some text): the status is the one the exception is documented with.
 */
export class BedrockStreamError extends UpstreamStreamError {
  override readonly name = "BedrockStreamError";

  constructor(exceptionType: string, message: string) {
    const code = exceptionName(exceptionType) ?? "UnknownException";
    const status = bedrockErrorStatus(code, 502);
    super(status, { message: message || code, type: typeForStatus(status), code, param: null });
  }
}
