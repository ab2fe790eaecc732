import type { RequestOutcome } from "../context";
import { guardrailsOf } from "./guardrail-state";

/**
 * Whether a native stream (`/v1/messages` to Anthropic, `/v1/responses` to OpenAI) of the attempt being made would
 * escape the guardrails: the stream judge and the placeholder restorer read OpenAI chat chunks, so a native stream
 * with output hooks would go out unjudged, and one after an input redaction would keep its placeholders. Such an
 * attempt goes through the chat translation instead (docs/guardrails.md). JSON answers are judged natively.
 */
export function nativeStreamNeedsChat(outcome: RequestOutcome): boolean {
  const state = guardrailsOf(outcome);
  if (!state) return false;
  if (state.restore.size > 0) return true;
  const path = state.attemptPath;
  // Unknown target: assume it has hooks rather than risk an unjudged stream.
  if (path === undefined) return true;
  if ((state.perTarget.get(path)?.restore?.size ?? 0) > 0) return true;
  return state.outputFor(path).length > 0;
}
