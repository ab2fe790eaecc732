/**
 * Anthropic's error envelope, `{"type":"error","error":{"type","message"}}`, and the meaning it gives each HTTP
 * status (docs: "HTTP errors"). The gateway keeps its own status (a 502 from a broken upstream stays 502) and
 * names it with the closest Anthropic type.
 */

export interface AnthropicErrorBody {
  type: "error";
  error: { type: string; message: string };
}

const TYPE_BY_STATUS: Readonly<Record<number, string>> = {
  400: "invalid_request_error",
  401: "authentication_error",
  402: "billing_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
  429: "rate_limit_error",
  504: "timeout_error",
  529: "overloaded_error",
};

/** Every type Anthropic documents: a mid-stream error already named one of these keeps its name. */
const ANTHROPIC_TYPES: ReadonlySet<string> = new Set([...Object.values(TYPE_BY_STATUS), "api_error"]);

/** Other 4xx (a guardrail's 446, 408, 422) are the request's fault; any other 5xx is api_error. */
export function anthropicErrorType(status: number): string {
  return TYPE_BY_STATUS[status] ?? (status >= 500 ? "api_error" : "invalid_request_error");
}

/** A type from another format (OpenAI's server_error, the gateway's upstream_error) -> an Anthropic type. */
export function anthropicTypeOf(type: string | null | undefined, status?: number): string {
  if (type && ANTHROPIC_TYPES.has(type)) return type;
  return status === undefined ? "api_error" : anthropicErrorType(status);
}

export function anthropicErrorBody(type: string, message: string): AnthropicErrorBody {
  return { type: "error", error: { type, message } };
}
