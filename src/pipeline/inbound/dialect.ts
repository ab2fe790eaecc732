import { createMiddleware } from "hono/factory";
import { anthropicErrorBody, anthropicErrorType } from "../../../providers/inbound-anthropic/errors";
import type { AppEnv } from "../../context";
import type { GatewayError } from "../../errors";
import type { ErrorDialect } from "./types";

/** Anthropic's envelope, `{"type":"error","error":{"type","message"}}`, with the gateway's status. */
export const anthropicDialect: ErrorDialect = (error: GatewayError) =>
  anthropicErrorBody(anthropicErrorType(error.status), error.message);

/** Paths whose clients expect another error envelope than OpenAI's. */
const DIALECTS: readonly { path: RegExp; dialect: ErrorDialect }[] = [
  { path: /^\/v1\/messages(\/count_tokens)?\/?$/, dialect: anthropicDialect },
];

/**
 * Chooses the request's error dialect from its path, before logging and authentication run, so that even a
 * missing key is answered in the envelope the client's SDK parses. app.ts's onError reads it.
 */
export function errorDialect() {
  return createMiddleware<AppEnv>(async (c, next) => {
    const match = DIALECTS.find((entry) => entry.path.test(c.req.path));
    if (match) c.set("errorDialect", match.dialect);
    await next();
  });
}
