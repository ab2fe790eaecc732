import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ErrorBody } from "../schema/openai-response";
import { MalformedUpstreamError, UnsupportedParameterError } from "../providers/types";
import { UpstreamCredentialError } from "../providers/shared/credential-error";

export interface GatewayErrorOptions {
  type?: string;
  code?: string | null;
  param?: string | null;
  headers?: Record<string, string>;
  cause?: unknown;
}

/** Every failure the gateway answers with: an OpenAI error envelope with an honest status. */
export class GatewayError extends HTTPException {
  readonly type: string;
  readonly code: string | null;
  readonly param: string | null;
  readonly extraHeaders: Record<string, string>;

  constructor(status: ContentfulStatusCode, message: string, options: GatewayErrorOptions = {}) {
    super(status, { message, cause: options.cause });
    this.type = options.type ?? defaultType(status);
    this.code = options.code ?? null;
    this.param = options.param ?? null;
    this.extraHeaders = options.headers ?? {};
  }

  toBody(): ErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

function defaultType(status: number): string {
  if (status === 401) return "authentication_error";
  if (status === 403) return "permission_error";
  if (status === 404) return "not_found_error";
  if (status === 408) return "timeout_error";
  if (status === 413) return "request_too_large";
  if (status === 429) return "rate_limit_error";
  if (status === 446) return "guardrail_error";
  if (status >= 500) return "api_error";
  return "invalid_request_error";
}

export const badRequest = (message: string, param: string | null = null, code: string | null = null) =>
  new GatewayError(400, message, { param, code });

/** Map anything thrown to a GatewayError; unknown errors are the gateway's own fault and say nothing internal. */
export function toGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  if (error instanceof UnsupportedParameterError) return badRequest(error.message, error.param, error.code);
  if (error instanceof UpstreamCredentialError)
    return new GatewayError(error.status, error.message, { code: error.code });
  if (error instanceof MalformedUpstreamError) {
    return new GatewayError(502, error.message, { type: "api_error", code: "upstream_malformed_response" });
  }
  if (error instanceof HTTPException) return new GatewayError(error.status as ContentfulStatusCode, error.message);
  // A bug of ours: log it for the operator, tell the client nothing internal.
  console.error("unhandled gateway error", error);
  return new GatewayError(500, "internal gateway error", { type: "api_error", cause: error });
}
