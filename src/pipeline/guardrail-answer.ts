import type { Hook } from "../../guardrails/types";
import { CACHE_STATUS_HEADER } from "../cache";
import type { AppContext } from "../context";
import { toGatewayError } from "../errors";
import type { ResolvedLeaf } from "../governance/leaf";
import { isServedFromCache, markServedFromCache } from "../routing/served";
import { judgeChoices } from "./guardrail-answer-choices";
import { choiceTexts, onlyFirstContent } from "./guardrail-choices";
import { runPhase } from "./guardrail-context";
import { streamableOnly } from "./guardrail-engine";
import { outputText, withOutputText } from "./guardrail-text";
import { deniedBy, guardrailsOf, type RequestGuardrails } from "./guardrail-state";
import { streamJudge } from "./guardrail-stream-judge";
import { guardStream, STREAM_HOLD_BACK_CHARS } from "./guarded-stream";
import { HooksFailedError } from "./hooks-failed";

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
  const texts = json ? choiceTexts(json) : null;
  if (json && texts && !onlyFirstContent(texts)) {
    // n > 1 or tool calls: every choice's text and every tool call's arguments are judged.
    const verdict = await judgeChoices(c, state, hooks, json, texts, modelOf(c), into);
    const denied = deniedBy(verdict.results);
    if (denied) throw denial(c, state, denied.id, "output");
    if (verdict.json !== json) body = JSON.stringify(verdict.json);
  } else if (json && hooks.length > 0) {
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
  const denyBy = (hookId: string) => denial(c, state, hookId, "output");
  const judge = streamJudge({ c, state, hooks, facts: modelOf(c), denial: denyBy });
  const window = streamableOnly(hooks).length > 0 ? STREAM_HOLD_BACK_CHARS : 0;
  return new Response(guardStream(response.body, { window, judge }, c.var.outcome), response);
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
