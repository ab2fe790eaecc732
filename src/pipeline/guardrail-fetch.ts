import { checkCustomHost, type CustomHostPolicy } from "../lib/custom-host";

/** A webhook check that sets no `timeout` gets this long for its whole answer. */
export const DEFAULT_HOOK_FETCH_TIMEOUT_MS = 3_000;

export class HookFetchRefused extends Error {}

/**
 * The fetch behind CheckContext.fetch (webhook, moderation endpoints): the URL's host must pass the custom-host
 * SSRF policy (deployed: the allowlist, never a private or metadata address), redirects are not followed (a
 * redirect could lead past the policy), and the call is aborted after `timeoutMs` or when the check's own signal
 * fires. Only the origin is checked: a webhook URL may carry a path and a query string, the policy is about hosts.
 */
export function policedFetch(policy: CustomHostPolicy, timeoutMs = DEFAULT_HOOK_FETCH_TIMEOUT_MS) {
  return async (url: string, init: RequestInit): Promise<Response> => {
    let origin: string;
    try {
      origin = new URL(url).origin;
    } catch {
      throw new HookFetchRefused("the hook URL is not a valid URL");
    }
    try {
      checkCustomHost(origin, policy);
    } catch (error) {
      throw new HookFetchRefused(
        error instanceof Error ? error.message.replace(/^custom_host refused/, "hook URL refused") : "hook URL refused",
      );
    }
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new Error(`the hook did not answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const outer = init.signal;
    const onAbort = () => controller.abort(outer?.reason);
    outer?.addEventListener("abort", onAbort);
    try {
      const response = await fetch(url, { ...init, signal: controller.signal, redirect: "manual" });
      // The body is read inside the time limit too: a hook that sends headers and then stalls is a timeout.
      const body = await response.arrayBuffer();
      return new Response(body, { status: response.status, headers: response.headers });
    } catch (error) {
      if (controller.signal.aborted) throw new Error(`the hook did not answer within ${timeoutMs} ms`);
      throw error;
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener("abort", onAbort);
    }
  };
}
