import type { ChatCompletionChunk, Usage } from "../../schema/openai-response";
import { makeChunk, makeUsageChunk } from "../shared/chunks";
import { parseJsonText, parseUpstream } from "../shared/json";
import type { SseEvent } from "../shared/sse";
import { IncompleteStreamError, type ChatStreamMapper, type ResponseContext } from "../types";
import { newToolCallId, toOpenAIToolCall, toOpenAIUsage } from "./mapping";
import { streamPayloadSchema } from "./wire";

/**
 * Workers AI streams (binding and REST alike) are SSE: `data: {"response": "..."}` per token, a last payload
 * with `usage`, then `data: [DONE]`. Emitted: a role chunk first, content deltas, whole tool calls when a payload
 * carries them, and at [DONE] a finish chunk and a usage chunk. A body that closes before [DONE] was cut.
 */
class WorkersAiStreamMapper implements ChatStreamMapper {
  private started = false;
  private done = false;
  private usage: Usage = toOpenAIUsage(null);
  private toolCalls = 0;

  constructor(private readonly ctx: ResponseContext) {}

  onEvent(event: SseEvent): ChatCompletionChunk[] {
    if (this.done) return [];
    if (event.data === "[DONE]") return this.finish();
    const payload = parseUpstream(
      streamPayloadSchema,
      parseJsonText(event.data, "a Workers AI stream event"),
      "Workers AI stream event",
    );
    const out = this.started ? [] : [this.chunk({ role: "assistant", content: "" })];
    this.started = true;
    if (payload.usage) this.usage = toOpenAIUsage(payload.usage);
    if (payload.response) out.push(this.chunk({ content: payload.response }));
    for (const call of payload.tool_calls ?? []) {
      const { id, type, function: fn } = toOpenAIToolCall(call, newToolCallId);
      out.push(this.chunk({ tool_calls: [{ index: this.toolCalls++, id, type, function: fn }] }));
    }
    return out;
  }

  end(): ChatCompletionChunk[] {
    if (!this.done) throw new IncompleteStreamError("Workers AI stream ended before [DONE]");
    return [];
  }

  private chunk(delta: Parameters<typeof makeChunk>[2]): ChatCompletionChunk {
    return makeChunk(this.ctx, this.ctx.fallbackId, delta);
  }

  private finish(): ChatCompletionChunk[] {
    this.done = true;
    const opening = this.started ? [] : [this.chunk({ role: "assistant", content: "" })];
    return [
      ...opening,
      makeChunk(this.ctx, this.ctx.fallbackId, {}, this.toolCalls > 0 ? "tool_calls" : "stop"),
      makeUsageChunk(this.ctx, this.ctx.fallbackId, this.usage),
    ];
  }
}

export function createWorkersAiStreamMapper(ctx: ResponseContext): ChatStreamMapper {
  return new WorkersAiStreamMapper(ctx);
}
