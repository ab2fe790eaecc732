import type { RoutingConfig } from "../../schema/config";
import type { AppContext } from "../context";
import { gatewayAuth } from "../governance/auth";
import { requestLogger } from "../observability/middleware";
import type { OperationName } from "../routing/request";
import { inputGuardrails, outputGuardrails } from "./guardrails";
import { parseRequest, startReadingBody } from "./parse";
import { resolveConfig } from "./resolve-config";
import { resolveTargets } from "./resolve-targets";
import { respond } from "./respond";
import { route } from "./route";
import { serverTiming } from "./server-timing";
import { errorDialect } from "./inbound/dialect";
import { startReadingInbound } from "./inbound/read";
import type { Inbound } from "./inbound/types";

/**
 * The path of every /v1 request, in order. The first three steps are middleware, so they also cover
 * GET /v1/models and requests that never reach a handler (404s, auth failures):
 *
 *   log           one log event per request, whatever happens after (observability/middleware.ts)
 *   time          Server-Timing: gateway time apart from upstream time (server-timing.ts)
 *   authenticate  the gateway key, or passthrough mode (governance/auth.ts)
 * (preceded by the error dialect: the envelope errors are rendered in, chosen by path, inbound/dialect.ts)
 */
export const v1Middleware = () => [errorDialect(), requestLogger(), serverTiming(), gatewayAuth()] as const;

/**
 * What a route that builds the chat request itself hands to handleV1 (the prompt registry, pipeline/prompt.ts):
 * the chat request JSON every later step sees, and its own routing config, or null to resolve the request's
 * (x-portkey-config, else the key's default) as usual. The steps and their order stay in one place.
 */
export interface PreparedInput {
  json: unknown;
  config: RoutingConfig | null;
}

/**
 * ...then, for chat, completions and embeddings:
 *
 *   parse             the JSON body (read while the config loads) and x-portkey-metadata
 *   resolve config    x-portkey-config (inline or saved), else the gateway key's default config
 *   resolve targets   every target of the config: provider, credential (virtual keys), host policy, breaker
 *   input guardrails  input hooks: deny (446, no provider call), flag, or transform the request (guardrail-input.ts)
 *   route             the strategy engine; per attempt: cache lookup || admission, then the provider call
 *   output guardrails hook_results on the answer, 246 on a flag, PII restored (output hooks run per attempt in route)
 *   respond           the answer with its routing headers; settlement, cache writes and the log event follow in
 *                     waitUntil once the body is sent
 *
 * A prompt run (pipeline/prompt.ts) passes `prepared`: its rendered chat request stands for the body, and the
 * version's routing, when it has one, for the resolved config. Every other step is the same.
 */
export async function handleV1(
  c: AppContext,
  operation: OperationName,
  inbound?: Inbound,
  prepared?: PreparedInput,
): Promise<Response> {
  // An inbound format (/v1/messages) is translated to the chat request here and its answer back at the end.
  const body = prepared
    ? Promise.resolve(prepared.json)
    : inbound
      ? startReadingInbound(c, inbound)
      : startReadingBody(c);
  const config = prepared?.config ?? (await resolveConfig(c));
  const request = await parseRequest(c, body);
  const targets = await resolveTargets(c, config, request);
  await inputGuardrails(c, operation, config, request, targets);
  const answer = await route(c, operation, request, targets);
  const response = respond(c, await outputGuardrails(c, answer), targets.hasConfig);
  return inbound ? inbound.fromChat(response) : response;
}
