import type { Usage } from "../../schema/openai-response";
import type { RequestOutcome } from "../context";
import type { CacheEntry } from "./entry";
import { replayStream } from "./replay";
import type { CacheRequest } from "./request";

const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache",
  connection: "keep-alive",
};

/** The stored usage as the logger reads it: the tokens this hit did not spend. */
function usageOf(entry: CacheEntry): Usage | undefined {
  const usage = entry.usage;
  if (!usage) return undefined;
  const completion = usage.completion_tokens ?? 0;
  const total = usage.total_tokens ?? usage.prompt_tokens + completion;
  const out: Usage = { prompt_tokens: usage.prompt_tokens, completion_tokens: completion, total_tokens: total };
  const cached = usage.prompt_tokens_details?.cached_tokens;
  if (cached !== undefined) out.prompt_tokens_details = { cached_tokens: cached };
  if (usage.cache_creation_input_tokens !== undefined)
    out.cache_creation_input_tokens = usage.cache_creation_input_tokens;
  return out;
}

/**
 * The client's answer from a stored entry: the JSON body, or (for `stream: true`) the same answer re-chunked as
 * SSE. Fills the outcome the way a provider call would (provider, model, usage, finish reason) so the log shows
 * what was served; the logger prices a hit at 0. Null when the entry cannot serve this request.
 */
export function hitResponse(
  entry: CacheEntry,
  request: CacheRequest,
  outcome: RequestOutcome,
  startedAt: number,
): Response | null {
  if (entry.operation !== request.operation) return null;
  let response: Response;
  if (request.stream && request.operation !== "embeddings") {
    const usage = entry.body.usage ?? entry.usage;
    const text = replayStream(request.operation, entry.body, { includeUsage: request.includeUsage, usage });
    if (text === null) return null;
    response = new Response(text, { status: 200, headers: SSE_HEADERS });
    outcome.stream.firstTokenMs = performance.now() - startedAt;
  } else {
    response = new Response(JSON.stringify(entry.body), {
      status: 200,
      headers: { "content-type": "application/json" },
    });
  }
  outcome.route.provider = request.provider;
  outcome.route.stream = request.stream;
  outcome.route.servedModel = entry.model;
  const usage = usageOf(entry);
  if (usage) outcome.answer.usage = usage;
  const [choice] = Array.isArray(entry.body.choices) ? entry.body.choices : [];
  const finish: unknown =
    typeof choice === "object" && choice !== null ? (choice as { finish_reason?: unknown }).finish_reason : null;
  if (typeof finish === "string") outcome.answer.finishReason = finish;
  return response;
}
