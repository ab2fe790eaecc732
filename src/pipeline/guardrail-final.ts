import type { AppContext } from "../context";
import { isStream, parseObject } from "./guardrail-answer";
import { failedWithoutDeny, guardrailsOf } from "./guardrail-state";
import { restoreAnswer } from "./guardrail-text";
import { HOOKS_FLAGGED_STATUS } from "./hooks-failed";
import { restoreStream } from "./restore-stream";

/**
 * The output guardrail step, after routing (the verdicts were given per attempt, see guardrail-answer.ts): the
 * answer the client gets carries `hook_results`, gets status 246 when a hook without deny failed, and has the
 * input's PII placeholders restored. Done here, not per attempt, so the cache stores the answer as the provider
 * gave it (placeholders, not another user's data) and every hit is restored with its own request's originals.
 */
export async function finishAnswer(c: AppContext, response: Response, path?: string): Promise<Response> {
  const state = guardrailsOf(c.var.outcome);
  if (!state) return response;
  const { results } = state;
  // The serving target's own input hooks (a nested target's) count too: its flag, its redaction's placeholders.
  const target = path === undefined ? undefined : state.perTarget.get(path);
  const restore = target?.restore?.size ? new Map([...state.restore, ...target.restore]) : state.restore;
  const flagged = state.inputFlagged || target?.flagged === true || failedWithoutDeny(results.after_request_hooks);
  const status = flagged && response.status === 200 ? HOOKS_FLAGGED_STATUS : response.status;
  if (isStream(response)) {
    const body = response.body && restore.size > 0 ? restoreStream(response.body, restore) : response.body;
    return status === response.status && body === response.body
      ? response
      : new Response(body, { status, headers: response.headers });
  }
  const text = await response.text();
  const json = parseObject(text);
  if (!json) return new Response(text, response);
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  const body = { ...restoreAnswer(json, restore), hook_results: results };
  return new Response(JSON.stringify(body), { status, headers });
}
