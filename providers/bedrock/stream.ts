import type { z } from "zod";
import type { ChatCompletionChunk, ChunkDelta } from "../../schema/openai-response";
import { isJsonTool } from "../anthropic/json-tool";
import { makeChunk, makeUsageChunk } from "../shared/chunks";
import { EventStreamDecoder, type EventStreamMessage } from "../shared/event-stream";
import { parseJsonText, parseUpstream } from "../shared/json";
import {
  IncompleteStreamError,
  MalformedUpstreamError,
  type ChatStreamMapper,
  type ResponseContext,
  type StreamDecoder,
} from "../types";
import { BedrockStreamError } from "./errors";
import { mapStopReason } from "./finish-reason";
import { toOpenAIUsage } from "./usage";
import {
  blockDeltaSchema,
  blockStartSchema,
  errorBodySchema,
  messageStartSchema,
  messageStopSchema,
  metadataSchema,
} from "./wire";

const utf8 = new TextDecoder("utf-8");

function payloadJson<T extends z.ZodType>(schema: T, message: EventStreamMessage, what: string): z.infer<T> {
  return parseUpstream(schema, parseJsonText(utf8.decode(message.payload), what), what);
}

/**
 * ConverseStream (binary event-stream, decoded by providers/shared/event-stream.ts) -> OpenAI chunks. Bedrock
 * sends messageStart, then per content block contentBlockStart (tool use only) / contentBlockDelta* /
 * contentBlockStop, then messageStop (stopReason) and metadata (usage). An exception message can come at any point.
 *
 * Emitted: a role chunk at messageStart; content, reasoning_content and tool_calls deltas as they arrive
 * (tool_calls indices count tool blocks from 0, not Bedrock's contentBlockIndex); a finish chunk at messageStop;
 * the usage chunk at metadata (the pipeline drops it when the client did not ask). A stream without messageStop
 * is cut. Converse sends no id or model: the gateway's id and the requested model are used, as for JSON answers.
 */
class BedrockStreamMapper implements ChatStreamMapper {
  private started = false;
  private stopped = false;
  private readonly toolIndexByBlock = new Map<number, number>();
  /** Blocks of the json_schema emulation tool (json-schema.ts): their input is streamed as content. */
  private readonly jsonBlocks = new Set<number>();

  constructor(private readonly ctx: ResponseContext) {}

  createDecoder(emit: (chunks: ChatCompletionChunk[]) => void): StreamDecoder {
    return new EventStreamDecoder((message) => emit(this.onMessage(message)));
  }

  onEvent(): ChatCompletionChunk[] {
    throw new MalformedUpstreamError("Bedrock streams are AWS event-streams, not SSE");
  }

  end(): ChatCompletionChunk[] {
    if (!this.stopped) throw new IncompleteStreamError("Bedrock stream ended before messageStop");
    return [];
  }

  onMessage(message: EventStreamMessage): ChatCompletionChunk[] {
    if (message.kind === "error") throw new BedrockStreamError(message.errorCode, message.errorMessage);
    if (message.kind === "exception") {
      const body = errorBodySchema.safeParse(
        parseJsonText(utf8.decode(message.payload) || "{}", "a Bedrock stream exception"),
      );
      throw new BedrockStreamError(
        message.exceptionType,
        body.success ? (body.data.message ?? body.data.Message ?? "") : "",
      );
    }
    if (message.eventType === "messageStart") {
      payloadJson(messageStartSchema, message, "Bedrock messageStart");
      this.started = true;
      return [this.chunk({ role: "assistant", content: "" })];
    }
    if (!this.started) throw new MalformedUpstreamError(`Bedrock stream sent ${message.eventType} before messageStart`);
    switch (message.eventType) {
      case "contentBlockStart":
        return this.onBlockStart(payloadJson(blockStartSchema, message, "Bedrock contentBlockStart"));
      case "contentBlockDelta":
        return this.onBlockDelta(payloadJson(blockDeltaSchema, message, "Bedrock contentBlockDelta"));
      case "messageStop":
        return this.onMessageStop(payloadJson(messageStopSchema, message, "Bedrock messageStop").stopReason);
      case "metadata":
        return [
          makeUsageChunk(
            this.ctx,
            this.ctx.fallbackId,
            toOpenAIUsage(payloadJson(metadataSchema, message, "Bedrock metadata").usage),
          ),
        ];
      default:
        // contentBlockStop, and event types AWS may add.
        return [];
    }
  }

  private chunk(delta: ChunkDelta): ChatCompletionChunk {
    return makeChunk(this.ctx, this.ctx.fallbackId, delta);
  }

  private onBlockStart(event: z.infer<typeof blockStartSchema>): ChatCompletionChunk[] {
    const toolUse = event.start.toolUse;
    if (!toolUse) return [];
    if (isJsonTool(toolUse.name)) {
      this.jsonBlocks.add(event.contentBlockIndex);
      return [];
    }
    const index = this.toolIndexByBlock.size;
    this.toolIndexByBlock.set(event.contentBlockIndex, index);
    return [
      this.chunk({
        tool_calls: [
          { index, id: toolUse.toolUseId, type: "function", function: { name: toolUse.name, arguments: "" } },
        ],
      }),
    ];
  }

  private onBlockDelta(event: z.infer<typeof blockDeltaSchema>): ChatCompletionChunk[] {
    const { delta } = event;
    if (delta.text !== undefined) return delta.text === "" ? [] : [this.chunk({ content: delta.text })];
    if (delta.toolUse && this.jsonBlocks.has(event.contentBlockIndex)) {
      return delta.toolUse.input === "" ? [] : [this.chunk({ content: delta.toolUse.input })];
    }
    if (delta.toolUse) {
      const index = this.toolIndexByBlock.get(event.contentBlockIndex);
      if (index === undefined)
        throw new MalformedUpstreamError("Bedrock stream sent tool input for a block that did not start as a tool");
      return delta.toolUse.input === ""
        ? []
        : [this.chunk({ tool_calls: [{ index, function: { arguments: delta.toolUse.input } }] })];
    }
    const reasoning = delta.reasoningContent?.text;
    // Signatures and redacted reasoning have no OpenAI equivalent.
    return reasoning ? [this.chunk({ reasoning_content: reasoning })] : [];
  }

  private onMessageStop(stopReason: string): ChatCompletionChunk[] {
    this.stopped = true;
    return [makeChunk(this.ctx, this.ctx.fallbackId, {}, mapStopReason(stopReason, this.toolIndexByBlock.size > 0))];
  }
}

export function createBedrockStreamMapper(ctx: ResponseContext): ChatStreamMapper {
  return new BedrockStreamMapper(ctx);
}
