import type { ChatCompletionChunk, ChunkDelta } from "../../schema/openai-response";
import { makeChunk, makeUsageChunk } from "../shared/chunks";
import { parseJsonText, parseUpstream } from "../shared/json";
import type { SseEvent } from "../shared/sse";
import { IncompleteStreamError, MalformedUpstreamError, type ChatStreamMapper, type ResponseContext } from "../types";
import { CohereStreamError } from "./errors";
import { mapFinishReason, toOpenAIUsage } from "./mapping";
import { STREAM_EVENT_TYPES, streamEventSchema, type CohereStreamEvent } from "./wire";

type EventOf<T extends CohereStreamEvent["type"]> = Extract<CohereStreamEvent, { type: T }>;

const typeOf = (json: unknown): unknown =>
  typeof json === "object" && json !== null ? (json as { type?: unknown }).type : undefined;

/**
 * Cohere v2 chat stream -> OpenAI chunks. Cohere sends `message-start`, then content blocks
 * (`content-start` / `content-delta`* / `content-end`) or, when it calls tools, `tool-plan-delta`s and per call
 * `tool-call-start` / `tool-call-delta`* / `tool-call-end`, then `message-end` with the finish reason and usage.
 * Citation and debug events are skipped (citations are only kept in non-streamed answers).
 *
 * Emitted: a role chunk at message-start; content, reasoning_content (the tool plan) and tool_calls deltas as
 * they come (indices count tool calls from 0 in order of their start); at message-end a finish chunk and a
 * usage chunk. `finish_reason: ERROR` at message-end is an error event for the client, never [DONE].
 */
class CohereStreamMapper implements ChatStreamMapper {
  private id: string;
  private started = false;
  private finished = false;
  private readonly toolIndex = new Map<number, number>();

  constructor(private readonly ctx: ResponseContext) {
    this.id = ctx.fallbackId;
  }

  onEvent(event: SseEvent): ChatCompletionChunk[] {
    const json = parseJsonText(event.data, "a Cohere stream event");
    // Every data payload repeats its SSE event name as `type`; types Cohere adds later are skipped.
    const type = typeOf(json);
    if (typeof type !== "string" || !STREAM_EVENT_TYPES.has(type) || this.finished) return [];
    const parsed = parseUpstream(streamEventSchema, json, "Cohere stream event");
    if (parsed.type === "message-start") return this.onStart(parsed);
    if (!this.started) throw new MalformedUpstreamError(`Cohere stream sent ${parsed.type} before message-start`);
    switch (parsed.type) {
      case "content-delta":
        return this.delta({ content: parsed.delta.message.content.text ?? "" });
      case "tool-plan-delta":
        return this.delta({ reasoning_content: parsed.delta.message.tool_plan ?? "" });
      case "tool-call-start":
        return this.onToolStart(parsed);
      case "tool-call-delta":
        return this.onToolDelta(parsed);
      case "message-end":
        return this.onEnd(parsed);
      default:
        return [];
    }
  }

  end(): ChatCompletionChunk[] {
    if (!this.finished) throw new IncompleteStreamError("Cohere stream ended before message-end");
    return [];
  }

  private delta(delta: ChunkDelta): ChatCompletionChunk[] {
    const text = delta.content ?? delta.reasoning_content;
    return text === "" ? [] : [makeChunk(this.ctx, this.id, delta)];
  }

  private onStart(event: EventOf<"message-start">): ChatCompletionChunk[] {
    this.started = true;
    if (event.id) this.id = event.id;
    return [makeChunk(this.ctx, this.id, { role: "assistant", content: "" })];
  }

  private onToolStart(event: EventOf<"tool-call-start">): ChatCompletionChunk[] {
    const index = this.toolIndex.size;
    this.toolIndex.set(event.index ?? index, index);
    const call = event.delta.message.tool_calls;
    const fn = { name: call.function.name, arguments: call.function.arguments ?? "" };
    return [makeChunk(this.ctx, this.id, { tool_calls: [{ index, id: call.id, type: "function", function: fn }] })];
  }

  private onToolDelta(event: EventOf<"tool-call-delta">): ChatCompletionChunk[] {
    const index = this.toolIndex.get(event.index ?? this.toolIndex.size - 1);
    const args = event.delta.message.tool_calls.function.arguments ?? "";
    if (index === undefined || args === "") return [];
    return [makeChunk(this.ctx, this.id, { tool_calls: [{ index, function: { arguments: args } }] })];
  }

  private onEnd(event: EventOf<"message-end">): ChatCompletionChunk[] {
    this.finished = true;
    const reason = event.delta?.finish_reason;
    if (reason === "ERROR") throw CohereStreamError.finishedWithError(event.delta?.error);
    return [
      makeChunk(this.ctx, this.id, {}, mapFinishReason(reason, this.toolIndex.size > 0)),
      makeUsageChunk(this.ctx, this.id, toOpenAIUsage(event.delta?.usage)),
    ];
  }
}

export function createCohereStreamMapper(ctx: ResponseContext): ChatStreamMapper {
  return new CohereStreamMapper(ctx);
}
