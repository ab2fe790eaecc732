import type { UpstreamCall } from "../../providers/types";
import type { RouteOutcome } from "../context";
import { GatewayError } from "../errors";

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
  /** Where the call's time to headers goes (the request's `outcome.route`, or a scratch record). */
  timing: Pick<RouteOutcome, "upstreamMs">,
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
    throw upstreamFetchFailure(error, controller.signal.aborted, call.url, `did not respond within ${limit} ms`);
  } finally {
    clearTimeout(timer);
    timing.upstreamMs = performance.now() - started;
  }
}

/**
 * A fetch to an upstream that threw: 408 when our own timer aborted it (`timedOut`; `late` says what did not happen
 * in time), else 502 naming only the host (the URL's path or query may carry a key).
 */
export function upstreamFetchFailure(error: unknown, timedOut: boolean, url: string, late: string): GatewayError {
  if (timedOut) return new GatewayError(408, `upstream ${late}`, { type: "timeout_error", code: "upstream_timeout" });
  return new GatewayError(502, `upstream ${new URL(url).host} is unreachable`, {
    type: "api_error",
    code: "upstream_unreachable",
    cause: error,
  });
}
