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
    timing.upstreamMs = performance.now() - started;
  }
}
