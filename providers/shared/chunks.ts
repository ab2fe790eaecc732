import type { ChatCompletionChunk, ChunkDelta, FinishReason, Usage } from "../../schema/openai-response";
import type { ResponseContext } from "../types";

/** Build one OpenAI `chat.completion.chunk` for a translated stream (single choice, index 0). */
export function makeChunk(
  ctx: ResponseContext,
  id: string,
  delta: ChunkDelta,
  finishReason: FinishReason | null = null,
): ChatCompletionChunk {
  return {
    id,
    object: "chat.completion.chunk",
    created: ctx.created,
    model: ctx.model,
    choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
  };
}

/** The trailing usage-only chunk OpenAI sends when `stream_options.include_usage` is set. */
export function makeUsageChunk(ctx: ResponseContext, id: string, usage: Usage): ChatCompletionChunk {
  return { id, object: "chat.completion.chunk", created: ctx.created, model: ctx.model, choices: [], usage };
}
