import { Hono, type ExecutionContext as HonoExecutionContext } from "hono";
import { parseRoutingConfig } from "../../schema/config";
import { emptyOutcome, type AppContext, type AppEnv, type RequestOutcome } from "../context";
import { badRequest } from "../errors";
import { setCaller } from "../governance/caller";
import { requestLogger } from "../observability/middleware";
import { settingsOf } from "../settings";
import { errorResponse } from "./error-response";
import { playgroundCaller, type PlaygroundOperator } from "./playground-caller";
import { completeRenderedPrompt } from "./prompt";
import { renderPromptRequest } from "./prompt-request";
import { serverTiming } from "./server-timing";

/**
 * The dashboard playground's entry into the /v1 pipeline. A run is a request of its own, dispatched in process to a
 * small Hono app (never over the network) so that it gets what every /v1 request gets: a fresh outcome and trace
 * id, the request logger (exactly one log row), Server-Timing, then the prompt steps of
 * POST /v1/prompts/{id}/completions (render, parse, targets, input guardrails, route with cache and the virtual
 * key's limits, output guardrails, respond). Two differences, both explicit: the caller is the dashboard session
 * (playground-caller.ts) instead of gatewayAuth's key, and the config is the virtual key chosen in the form.
 */

export interface PlaygroundRunInput {
  /** The prompt's id or slug, then `@version` or `@label` (as a /v1 prompt id). */
  promptRef: string;
  variables: Record<string, unknown>;
  /** The slug of the virtual key that pays for the run. */
  virtualKey: string;
  operator: PlaygroundOperator;
}

export interface PlaygroundRunResult {
  status: number;
  /** The run's trace id: its log page is /dashboard/logs/<traceId>. */
  traceId: string;
  /** The response body (an answer or the error envelope). */
  body: unknown;
  latencyMs: number;
  outcome: RequestOutcome;
}

interface RunState {
  input: PlaygroundRunInput;
  traceId: string;
  outcome: RequestOutcome;
}

/** The run each in-process request belongs to (Hono hands the very Request object to the middleware as c.req.raw). */
const runs = new WeakMap<Request, RunState>();

function runStateOf(c: AppContext): RunState {
  const state = runs.get(c.req.raw);
  if (!state) throw new Error("playground request without its run"); // wiring bug: only runPlaygroundPrompt dispatches
  return state;
}

/** What requestContext and gatewayAuth do for /v1, with the run's own trace id and caller. */
const runContext = () => async (c: AppContext, next: () => Promise<void>) => {
  const state = runStateOf(c);
  c.set("startedAt", performance.now());
  c.set("settings", settingsOf(c.env));
  c.set("traceId", state.traceId);
  c.set("outcome", state.outcome);
  setCaller(c, playgroundCaller(state.input.operator));
  await next();
};

function chosenVirtualKey(slug: string) {
  const parsed = parseRoutingConfig({ virtual_key: slug });
  if (!parsed.success) throw badRequest(`virtual_key: ${parsed.message}`, "virtual_key");
  return parsed.data;
}

const playgroundApp = new Hono<AppEnv>();
playgroundApp.use("*", runContext(), requestLogger(), serverTiming());
playgroundApp.post("/v1/prompts/:id/completions", async (c) => {
  const { input } = runStateOf(c);
  // Never streamed: the page compares whole answers (a version's own `stream: true` is overridden here).
  const rendered = await renderPromptRequest(c, Promise.resolve({ variables: input.variables, stream: false }));
  return completeRenderedPrompt(c, rendered, chosenVirtualKey(input.virtualKey));
});
playgroundApp.onError(errorResponse);

async function bodyOf(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Runs one prompt version as the dashboard session; never throws for what /v1 would answer with an error. */
export async function runPlaygroundPrompt(
  env: Env,
  executionCtx: HonoExecutionContext,
  input: PlaygroundRunInput,
): Promise<PlaygroundRunResult> {
  const state: RunState = { input, traceId: crypto.randomUUID(), outcome: emptyOutcome() };
  const path = `/v1/prompts/${encodeURIComponent(input.promptRef)}/completions`;
  const request = new Request(`http://dashboard-playground.internal${path}`, { method: "POST" });
  runs.set(request, state);
  const started = performance.now();
  const response = await playgroundApp.fetch(request, env, executionCtx);
  const body = await bodyOf(response);
  const latencyMs = Math.round(performance.now() - started);
  return { status: response.status, traceId: state.traceId, body, latencyMs, outcome: state.outcome };
}
