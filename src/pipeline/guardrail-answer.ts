import type { Hook } from "../../guardrails/types";
import { CACHE_STATUS_HEADER } from "../cache";
import type { AppContext } from "../context";
import { toGatewayError } from "../errors";
import type { ResolvedLeaf } from "../governance/leaf";
import { isServedFromCache, markServedFromCache } from "../routing/served";
import { checkContext, runPhase } from "./guardrail-context";
import { runHooks, streamableOnly } from "./guardrail-engine";
import { outputText, withOutputText } from "./guardrail-text";
import { deniedBy, guardrailsOf, type RequestGuardrails } from "./guardrail-state";
import { guardStream, STREAM_HOLD_BACK_CHARS, type StreamVerdict } from "./guarded-stream";
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

/**
 * Judge a JSON answer. A transformation (`default.pii` with `redact`, a mutator) rewrites the text it judged, so the
 * client and the cache get the redacted answer; hook_results and input restoration are added by the last step.
 */
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
  let body = text;
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
    if (run.transformed) body = JSON.stringify(withOutputText(json, run.text));
  }
  served(c);
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  return new Response(body, { status: response.status, headers });
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
  const judge = async (text: string, final: boolean): Promise<StreamVerdict> => {
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
    if (denied) return { deny: hooksFailedEvent(denial(c, state, denied.id, "output").message, state.results), text };
    // Only the prefix checks' redaction can be applied to a stream: what the others would change may be sent.
    return { deny: null, text: final ? await redactedWhole(c, state, prefixHooks, text) : run.text };
  };
  const window = prefixHooks.length > 0 ? STREAM_HOLD_BACK_CHARS : 0;
  return new Response(guardStream(response.body, { window, judge }, c.var.outcome), response);
}

/** The whole streamed answer through the prefix checks' transformations (findings at its very end included). */
async function redactedWhole(c: AppContext, state: RequestGuardrails, prefixHooks: Hook[], text: string) {
  const now = prefixHooks.filter((hook) => !hook.async);
  if (now.length === 0) return text;
  const input = { phase: "output" as const, text, ...modelOf(c) };
  return (await runHooks(now, checkContext(c, state, input, new AbortController().signal))).text;
}

type Attempt = (leaf: ResolvedLeaf, timeoutMs: number) => Promise<Response>;

/**
 * Around the cache: a hit (which never went through guardAnswer inside the cache) is judged like an answer. A hit
 * the hooks deny is still a hit: its 446 carries the cache status, as every routed answer does.
 */
export function guardCacheHits(c: AppContext, attempt: Attempt): Attempt {
  return async (leaf, timeoutMs) => {
    const response = await attempt(leaf, timeoutMs);
    if (!isServedFromCache(response)) return response;
    try {
      return await guardAnswer(c, leaf.path, response);
    } catch (raw) {
      const error = toGatewayError(raw);
      const cacheStatus = response.headers.get(CACHE_STATUS_HEADER);
      if (cacheStatus) error.extraHeaders[CACHE_STATUS_HEADER] = cacheStatus;
      throw error;
    }
  };
}

/** The answer of one attempt, through the request's output hooks (unchanged when no hook applies). */
export async function guardAnswer(c: AppContext, path: string, response: Response): Promise<Response> {
  const state = guardrailsOf(c.var.outcome);
  if (!state || response.status < 200 || response.status >= 300) return response;
  const hooks = state.operation === "embeddings" ? [] : state.outputFor(path);
  if (hooks.length === 0) return response;
  const cached = isServedFromCache(response);
  // A nested target's own input redaction numbered placeholders too: the answer's redaction carries on after them.
  const ownRestore = state.perTarget.get(path)?.restore;
  const judged = ownRestore?.size ? { ...state, restore: new Map([...state.restore, ...ownRestore]) } : state;
  const guarded = isStream(response)
    ? guardSse(c, judged, hooks, response)
    : await guardJson(c, judged, hooks, response);
  return cached ? markServedFromCache(guarded) : guarded;
}
