import type { NormalisedUpstreamError, ProviderAdapter, UpstreamCall } from "../../providers/types";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { RequestOutcome } from "../context";
import { GatewayError } from "../errors";
import { MIN_SECRET_LENGTH, scrub } from "../observability/scrub";

/** Without x-portkey-request-timeout, an attempt may wait this long for the upstream's response headers. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 600_000;

class AttemptTimeout extends Error {}

/**
 * POST to the upstream with a timeout to first byte: the timer stops once response headers arrive, so a long
 * stream is never cut by it. Network failures become 502, timeouts 408. Non-2xx responses are returned as they are.
 */
export async function fetchUpstream(
  call: UpstreamCall,
  timeoutMs: number | undefined,
  outcome: RequestOutcome,
): Promise<Response> {
  const controller = new AbortController();
  const limit = timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const timer = setTimeout(() => controller.abort(new AttemptTimeout()), limit);
  const started = performance.now();
  try {
    return await fetch(call.url, {
      method: "POST",
      headers: call.headers,
      body: call.body,
      signal: controller.signal,
      redirect: "manual",
    });
  } catch (error) {
    if (controller.signal.aborted) {
      throw new GatewayError(408, `upstream did not respond within ${limit} ms`, {
        type: "timeout_error",
        code: "upstream_timeout",
      });
    }
    const host = new URL(call.url).host;
    throw new GatewayError(502, `upstream ${host} is unreachable`, {
      type: "api_error",
      code: "upstream_unreachable",
      cause: error,
    });
  } finally {
    clearTimeout(timer);
    outcome.upstreamMs = performance.now() - started;
  }
}

const HTTP_STATUS_MIN = 400;

/**
 * Turn a non-2xx upstream response into the gateway's error, keeping the provider's status and message. Some
 * upstreams echo the credential they were sent ("Invalid API key: Bearer sk-..."): `secrets` (the target's key,
 * which for a virtual key the caller must never see) and anything shaped like a key are redacted first.
 */
export async function upstreamError(
  adapter: ProviderAdapter,
  response: Response,
  secrets: readonly string[],
): Promise<GatewayError> {
  const text = await response.text().catch(() => "");
  const parsed: NormalisedUpstreamError = adapter.parseError(response.status, text);
  // Very short "keys" (test placeholders, local servers' dummies) are not worth mangling every occurrence for.
  const normalised = {
    ...parsed,
    message: scrub(
      parsed.message,
      secrets.filter((secret) => secret.length >= MIN_SECRET_LENGTH),
    ),
  };
  const status = (
    response.status >= HTTP_STATUS_MIN && response.status <= 599 ? response.status : 502
  ) as ContentfulStatusCode;
  const headers: Record<string, string> = {};
  const retryAfter = response.headers.get("retry-after");
  if (retryAfter) headers["retry-after"] = retryAfter;
  return new GatewayError(status, normalised.message, {
    type: normalised.type,
    code: normalised.code,
    param: normalised.param,
    headers,
  });
}
