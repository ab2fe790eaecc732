import type { BindingCall } from "../../providers/types";
import type { RouteOutcome } from "../context";
import { GatewayError } from "../errors";
import { DEFAULT_REQUEST_TIMEOUT_MS } from "../lib/fetch-upstream";

/**
 * The binding transport: an UpstreamCall with `binding` set (Workers AI without a token) runs `env.AI.run()`
 * instead of a fetch, and its answer is turned into the Response the REST API would have given, so the adapter's
 * one mapper, the stream translator and the error path serve both. The `AI` binding is optional: a deployment
 * adds `[ai] binding = "AI"` to wrangler.toml to enable it (docs/providers.md).
 */
interface AiBinding {
  run(model: string, inputs: Record<string, unknown>): Promise<unknown>;
}

function aiBinding(env: object): AiBinding | null {
  const candidate: unknown = (env as { AI?: unknown }).AI;
  if (typeof candidate !== "object" || candidate === null) return null;
  return typeof (candidate as { run?: unknown }).run === "function" ? (candidate as AiBinding) : null;
}

/** Workers AI reports capacity and rate limits in the error text (code 3040 "Capacity temporarily exceeded"). */
function failureStatus(message: string): number {
  return /\b3040\b|capacity|rate limit/i.test(message) ? 429 : 502;
}

function asResponse(result: unknown): Response {
  if (result instanceof ReadableStream)
    return new Response(result, { headers: { "content-type": "text/event-stream" } });
  return Response.json(result);
}

function failure(error: unknown): Response {
  const message = error instanceof Error ? error.message : String(error);
  return Response.json({ success: false, errors: [{ message }] }, { status: failureStatus(message) });
}

export async function callBinding(
  call: BindingCall,
  env: object,
  timeoutMs: number | undefined,
  timing: Pick<RouteOutcome, "upstreamMs">,
): Promise<Response> {
  const binding = aiBinding(env);
  if (!binding) {
    throw new GatewayError(
      400,
      "workers-ai: this deployment has no AI binding; bind it, or send a Cloudflare API token with x-portkey-workers-ai-account-id",
      {
        param: "authorization",
        code: "binding_unavailable",
      },
    );
  }
  const limit = timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new GatewayError(408, `upstream did not respond within ${limit} ms`, {
            type: "timeout_error",
            code: "upstream_timeout",
          }),
        ),
      limit,
    );
  });
  const started = performance.now();
  try {
    return await Promise.race([binding.run(call.model, call.inputs).then(asResponse, failure), timeout]);
  } finally {
    clearTimeout(timer);
    timing.upstreamMs = performance.now() - started;
  }
}
