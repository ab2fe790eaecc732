import type { AppContext } from "../context";
import { toGatewayError } from "../errors";

/**
 * The one place errors become responses (app.ts's onError and the dashboard playground's in-process app): the outcome
 * records the error for the log row, and the body is the OpenAI envelope (or an inbound format's own, set by
 * pipeline/inbound/dialect.ts), never a stack trace or a secret.
 */
export function errorResponse(error: unknown, c: AppContext): Response {
  const gatewayError = toGatewayError(error);
  const outcome = c.var.outcome;
  if (outcome) {
    outcome.error = { status: gatewayError.status, type: gatewayError.type, message: gatewayError.message };
  }
  const body = c.var.errorDialect?.(gatewayError) ?? gatewayError.toBody();
  return c.json(body, gatewayError.status, gatewayError.extraHeaders);
}
