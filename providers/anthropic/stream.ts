import type { ChatCompletionChunk, ChunkDelta } from "../../schema/openai-response";
import { makeChunk, makeUsageChunk } from "../shared/chunks";
import { parseJsonText, parseUpstream } from "../shared/json";
import type { SseEvent } from "../shared/sse";
import { IncompleteStreamError, MalformedUpstreamError, type ChatStreamMapper, type ResponseContext } from "../types";
import { AnthropicStreamError } from "./errors";
import { mapStopReason } from "./finish-reason";
import { isJsonTool } from "./json-tool";
import { toOpenAIUsage, type AnthropicTokenCounts } from "./usage";
import { STREAM_EVENT_TYPES, streamEventSchema, type AnthropicDeltaUsage, type AnthropicStreamEvent } from "./wire";

/** Where the deltas of one Anthropic content block go. */
type BlockRoute = { kind: "tool"; index: number } | { kind: "json" };

type EventOf<T extends AnthropicStreamEvent["type"]> = Extract<AnthropicStreamEvent, { type: T }>;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Anthropic SSE -> OpenAI chunks. Anthropic streams: message_start, then per content block
 * content_block_start / content_block_delta* / content_block_stop, with ping anywhere, then message_delta
 * (stop_reason, cumulative usage) and message_stop. An `error` event can interrupt at any point.
 *
 * Emitted: a role chunk at message_start; content, reasoning_content and tool_calls deltas as they arrive
 * (tool_calls indices count tool_use blocks from 0, not Anthropic's block index, which also counts text and
 * thinking blocks); at message_stop a finish chunk and, always, a usage chunk (the pipeline drops it when the
 * client did not ask). Chunk ids and model are Anthropic's, as in non-streamed responses.
 *
 * json_schema emulation: the emulation tool's input_json_delta fragments become `delta.content`. Text the model
 * writes before calling it (possible only under extended thinking, where the tool cannot be forced) has
 * already been sent by then and stays in the content: a limit of streaming the non-streamed mapping avoids.
 */
class AnthropicStreamMapper implements ChatStreamMapper {
  private chunkCtx: ResponseContext;
  private id: string;
  private started = false;
  private finished = false;
  private usage: AnthropicTokenCounts = { input_tokens: 0, output_tokens: 0 };
  private stopReason: string | null = null;
  private readonly routes = new Map<number, BlockRoute>();
  private toolCalls = 0;

  constructor(ctx: ResponseContext) {
    this.chunkCtx = ctx;
    this.id = ctx.fallbackId;
  }

  onEvent(event: SseEvent): ChatCompletionChunk[] {
    const json = parseJsonText(event.data, "an Anthropic stream event");
    // Anthropic may add event types (its versioning policy says so): unknown ones are skipped.
    if (isRecord(json) && typeof json.type === "string" && !STREAM_EVENT_TYPES.has(json.type)) return [];
    if (this.finished) return [];
    const parsed = parseUpstream(streamEventSchema, json, "Anthropic stream event");
    switch (parsed.type) {
      case "error":
        throw new AnthropicStreamError(parsed.error.type, parsed.error.message);
      case "ping":
        return [];
      case "message_start":
        return this.onMessageStart(parsed);
      default:
        break;
    }
    if (!this.started) throw new MalformedUpstreamError(`Anthropic stream sent ${parsed.type} before message_start`);
    switch (parsed.type) {
      case "content_block_start":
        return this.onBlockStart(parsed);
      case "content_block_delta":
        return this.onBlockDelta(parsed);
      case "content_block_stop":
        return [];
      case "message_delta":
        this.stopReason = parsed.delta.stop_reason ?? this.stopReason;
        if (parsed.usage) this.mergeUsage(parsed.usage);
        return [];
      case "message_stop":
        return this.onMessageStop();
    }
  }

  end(): ChatCompletionChunk[] {
    if (!this.finished) throw new IncompleteStreamError("Anthropic stream ended before message_stop");
    return [];
  }

  private chunk(delta: ChunkDelta): ChatCompletionChunk {
    return makeChunk(this.chunkCtx, this.id, delta);
  }

  private onMessageStart(event: EventOf<"message_start">): ChatCompletionChunk[] {
    const { message } = event;
    this.started = true;
    this.id = message.id;
    if (message.model) this.chunkCtx = { ...this.chunkCtx, model: message.model };
    this.usage = { ...message.usage };
    return [this.chunk({ role: "assistant", content: "" })];
  }

  private onBlockStart(event: EventOf<"content_block_start">): ChatCompletionChunk[] {
    const block = event.content_block;
    switch (block.type) {
      case "text":
        return block.text === "" ? [] : [this.chunk({ content: block.text })];
      case "thinking":
        return block.thinking === "" ? [] : [this.chunk({ reasoning_content: block.thinking })];
      case "tool_use": {
        if (isJsonTool(block.name)) {
          this.routes.set(event.index, { kind: "json" });
          return [];
        }
        const index = this.toolCalls++;
        this.routes.set(event.index, { kind: "tool", index });
        return [
          this.chunk({
            tool_calls: [{ index, id: block.id, type: "function", function: { name: block.name, arguments: "" } }],
          }),
        ];
      }
      case "redacted_thinking":
      case "other":
        return [];
    }
  }

  private onBlockDelta(event: EventOf<"content_block_delta">): ChatCompletionChunk[] {
    const { delta } = event;
    switch (delta.type) {
      case "text_delta":
        return delta.text === "" ? [] : [this.chunk({ content: delta.text })];
      case "thinking_delta":
        return delta.thinking === "" ? [] : [this.chunk({ reasoning_content: delta.thinking })];
      case "input_json_delta": {
        // Server-tool blocks stream input too; only blocks we routed at their start are forwarded.
        const route = this.routes.get(event.index);
        if (!route || delta.partial_json === "") return [];
        if (route.kind === "json") return [this.chunk({ content: delta.partial_json })];
        return [this.chunk({ tool_calls: [{ index: route.index, function: { arguments: delta.partial_json } }] })];
      }
      case "signature_delta":
      case "other":
        return [];
    }
  }

  /** message_delta usage is cumulative: a field it carries replaces the one from message_start. */
  private mergeUsage(usage: AnthropicDeltaUsage): void {
    this.usage = {
      input_tokens: usage.input_tokens ?? this.usage.input_tokens,
      output_tokens: usage.output_tokens,
      cache_creation_input_tokens: usage.cache_creation_input_tokens ?? this.usage.cache_creation_input_tokens,
      cache_read_input_tokens: usage.cache_read_input_tokens ?? this.usage.cache_read_input_tokens,
    };
  }

  private onMessageStop(): ChatCompletionChunk[] {
    this.finished = true;
    const finishReason = mapStopReason(this.stopReason, this.toolCalls > 0) ?? "stop";
    return [
      makeChunk(this.chunkCtx, this.id, {}, finishReason),
      makeUsageChunk(this.chunkCtx, this.id, toOpenAIUsage(this.usage)),
    ];
  }
}

export function createAnthropicStreamMapper(ctx: ResponseContext): ChatStreamMapper {
  return new AnthropicStreamMapper(ctx);
}
