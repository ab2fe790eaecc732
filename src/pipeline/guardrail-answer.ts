import type { Hook } from "../../guardrails/types";
import type { AppContext } from "../context";
import type { ResolvedLeaf } from "../governance/leaf";
import { isServedFromCache, markServedFromCache } from "../routing/served";
import { runPhase } from "./guardrail-context";
import { streamableOnly } from "./guardrail-engine";
import { outputText } from "./guardrail-text";
import { deniedBy, guardrailsOf, type RequestGuardrails } from "./guardrail-state";
import { guardStream, STREAM_HOLD_BACK_CHARS } from "./guarded-stream";
import { HooksFailedError, hooksFailedEvent } from "./hooks-failed";

/*
 * Output guardrails, per attempt: a denied answer is a 446 the routing engine may retry or fall back on, like any
 * status. Called on the provider's answer inside the cache (so a denied or flagged answer is never stored: a 446
 * is thrown, a 246 is not a 200, a denied stream sets stream.error) and again on a cache hit (a stored answer
 * still passes today's output hooks).
 */

export const isStream = (response: Response) =>
  (response.headers.get("content-type") ?? "").startsWith("text/event-stream");

export function parseObject(text: string): Record<string, unknown> | null {
  try {
    const json: unknown = JSON.parse(text);
    return typeof json === "object" && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function denyMessage(hookId: string, phase: "input" | "output"): string {
  return `The ${phase === "input" ? "request" : "answer"} was denied by guardrail hook ${JSON.stringify(hookId)}`;
}

/** A 446 for the hook that denied; the logger sees `denied_by: "guardrail"`. */
export function denial(
  c: AppContext,
  state: RequestGuardrails,
  hookId: string,
  phase: "input" | "output",
): HooksFailedError {
  c.var.outcome.governance.deniedBy = "guardrail";
  return new HooksFailedError(denyMessage(hookId, phase), state.results);
}

/** A later attempt passed after an earlier one was denied: the request was served, not denied. */
function served(c: AppContext): void {
  const { governance } = c.var.outcome;
  if (governance.deniedBy === "guardrail") delete governance.deniedBy;
}

/** Judge a JSON answer; it goes on unchanged (hook_results and restoration are added by the last step). */
async function guardJson(
  c: AppContext,
  state: RequestGuardrails,
  hooks: Hook[],
  response: Response,
): Promise<Response> {
  const text = await response.text();
  const json = parseObject(text);
  const into = state.results.after_request_hooks;
  into.length = 0; // this attempt's answer replaces an earlier attempt's
  if (json && hooks.length > 0) {
    const run = await runPhase(
      c,
      state,
      hooks,
      { phase: "output", text: outputText(json), responseJson: json, ...modelOf(c) },
      into,
    );
    const denied = deniedBy(run.results);
    if (denied) throw denial(c, state, denied.id, "output");
  }
  served(c);
  return new Response(text, response);
}

function modelOf(c: AppContext): { model?: string; provider?: string } {
  const { route } = c.var.outcome;
  const out: { model?: string; provider?: string } = {};
  const model = route.servedModel ?? route.requestedModel;
  if (model !== undefined) out.model = model;
  if (route.provider !== undefined) out.provider = route.provider;
  return out;
}

function guardSse(c: AppContext, state: RequestGuardrails, hooks: Hook[], response: Response): Response {
  if (hooks.length === 0 || !response.body) return response;
  const prefixHooks = streamableOnly(hooks);
  const into = state.results.after_request_hooks;
  const judge = async (text: string, final: boolean): Promise<string | null> => {
    const scratch: typeof into = [];
    const run = await runPhase(
      c,
      state,
      final ? hooks : prefixHooks,
      { phase: "output", text, ...modelOf(c), ...(final ? {} : { partial: true }) },
      scratch,
    );
    if (final || deniedBy(run.results)) into.splice(0, into.length, ...scratch);
    const denied = deniedBy(run.results);
    if (!denied) return null;
    return hooksFailedEvent(denial(c, state, denied.id, "output").message, state.results);
  };
  const window = prefixHooks.length > 0 ? STREAM_HOLD_BACK_CHARS : 0;
  return new Response(guardStream(response.body, { window, judge }, c.var.outcome), response);
}

type Attempt = (leaf: ResolvedLeaf, timeoutMs: number) => Promise<Response>;

/** Around the cache: a hit (which never went through guardAnswer inside the cache) is judged like an answer. */
export function guardCacheHits(c: AppContext, attempt: Attempt): Attempt {
  return async (leaf, timeoutMs) => {
    const response = await attempt(leaf, timeoutMs);
    return isServedFromCache(response) ? guardAnswer(c, leaf.path, response) : response;
  };
}

/** The answer of one attempt, through the request's output hooks (unchanged when no hook applies). */
export async function guardAnswer(c: AppContext, path: string, response: Response): Promise<Response> {
  const state = guardrailsOf(c.var.outcome);
  if (!state || response.status < 200 || response.status >= 300) return response;
  const hooks = state.operation === "embeddings" ? [] : state.outputFor(path);
  if (hooks.length === 0) return response;
  const cached = isServedFromCache(response);
  const guarded = isStream(response) ? guardSse(c, state, hooks, response) : await guardJson(c, state, hooks, response);
  return cached ? markServedFromCache(guarded) : guarded;
}
