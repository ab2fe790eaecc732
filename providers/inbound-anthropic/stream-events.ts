import type { ChatCompletionChunk, ChunkToolCallDelta, Usage } from "../../schema/openai-response";
import { readChatStreamEvent } from "../shared/chat-stream-event";
import type { SseEvent } from "../shared/sse";
import { anthropicErrorBody, anthropicTypeOf } from "./errors";
import { messageIdOf, messageUsageOf, stopReasonOf } from "./message";

/**
 * The gateway's chat stream (OpenAI `chat.completion.chunk` events, `[DONE]`, or the gateway's `{"error": ...}`
 * frame) -> Anthropic's Messages event sequence, one input event at a time (nothing is held back but the finish
 * reason and usage, which Anthropic reports at the end too):
 *
 *   message_start, ping,
 *   per block: content_block_start, content_block_delta (thinking_delta | text_delta | input_json_delta)*,
 *              content_block_stop,
 *   message_delta (stop_reason, usage), message_stop
 *
 * Blocks follow the deltas: reasoning_content opens a thinking block, content a text block, each new tool call a
 * tool_use block (a block closes when a delta of another kind arrives). Every frame's `event:` name equals its
 * data's `type`. A failure becomes an `error` event, and so does a stream that ends without `[DONE]`.
 */

type OpenBlock = { kind: "thinking" } | { kind: "text" } | { kind: "tool"; toolIndex: number };

const frame = <T extends { type: string }>(data: T): string => `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;

export class MessagesStreamWriter {
  private started = false;
  private finished = false;
  private open: OpenBlock | null = null;
  private nextIndex = 0;
  private calledTools = false;
  private finishReason: string | null = null;
  private usage: Usage | null = null;

  /** `model`: the model asked for, used when the stream ends before any chunk named one. */
  constructor(private readonly model: string) {}

  /** The Anthropic frames one chat stream event becomes ("" for none). */
  onEvent(event: SseEvent): string {
    if (this.finished) return "";
    const read = readChatStreamEvent(event);
    if (read.kind === "done") return this.finish();
    if (read.kind === "not-json") return this.fail("api_error", read.message);
    if (read.kind === "error") return this.fail(anthropicTypeOf(read.type), read.message);
    return read.kind === "chunk" ? this.onChunk(read.chunk) : "";
  }

  /** The chat stream closed: complete only if `[DONE]` (or an error) came first. */
  end(): string {
    return this.finished ? "" : this.fail("api_error", "upstream stream was interrupted before it completed");
  }

  private onChunk(chunk: ChatCompletionChunk): string {
    let out = this.started ? "" : this.start(chunk);
    if (chunk.usage) this.usage = chunk.usage;
    const choice = chunk.choices.find((candidate) => candidate.index === 0);
    if (!choice) return out;
    const delta = choice.delta ?? {};
    if (typeof delta.reasoning_content === "string" && delta.reasoning_content !== "") {
      out +=
        this.ensure({ kind: "thinking" }) + this.delta({ type: "thinking_delta", thinking: delta.reasoning_content });
    }
    if (typeof delta.content === "string" && delta.content !== "") {
      out += this.ensure({ kind: "text" }) + this.delta({ type: "text_delta", text: delta.content });
    }
    for (const call of Array.isArray(delta.tool_calls) ? delta.tool_calls : []) out += this.onToolCall(call);
    if (choice.finish_reason) this.finishReason = choice.finish_reason;
    return out;
  }

  private start(chunk: ChatCompletionChunk): string {
    this.started = true;
    const message = {
      id: messageIdOf(chunk.id || "gateway"),
      type: "message",
      role: "assistant",
      model: chunk.model || this.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: messageUsageOf(chunk.usage),
    };
    return frame({ type: "message_start", message }) + frame({ type: "ping" });
  }

  private onToolCall(call: ChunkToolCallDelta): string {
    let out = "";
    const open = this.open;
    const sameCall = open?.kind === "tool" && open.toolIndex === call.index && call.id === undefined;
    if (!sameCall) {
      out += this.close();
      this.calledTools = true;
      const id = call.id ?? `toolu_gateway_${call.index}`;
      const block = { type: "tool_use", id, name: call.function?.name ?? "", input: {} };
      out += this.openBlock({ kind: "tool", toolIndex: call.index }, block);
    }
    const args = call.function?.arguments;
    if (typeof args === "string" && args !== "") out += this.delta({ type: "input_json_delta", partial_json: args });
    return out;
  }

  /** Open a text or thinking block unless one of that kind is open. */
  private ensure(block: { kind: "text" } | { kind: "thinking" }): string {
    if (this.open?.kind === block.kind) return "";
    const start =
      block.kind === "text" ? { type: "text", text: "" } : { type: "thinking", thinking: "", signature: "" };
    return this.close() + this.openBlock(block, start);
  }

  private openBlock(block: OpenBlock, contentBlock: Record<string, unknown>): string {
    this.open = block;
    return frame({ type: "content_block_start", index: this.nextIndex, content_block: contentBlock });
  }

  private delta(delta: Record<string, unknown>): string {
    return frame({ type: "content_block_delta", index: this.nextIndex, delta });
  }

  private close(): string {
    if (!this.open) return "";
    this.open = null;
    return frame({ type: "content_block_stop", index: this.nextIndex++ });
  }

  private finish(): string {
    const head = this.started
      ? ""
      : this.start({ id: "", object: "chat.completion.chunk", created: 0, model: this.model, choices: [] });
    this.finished = true;
    const usage = messageUsageOf(this.usage);
    const delta = { stop_reason: stopReasonOf(this.finishReason, this.calledTools), stop_sequence: null };
    return head + this.close() + frame({ type: "message_delta", delta, usage }) + frame({ type: "message_stop" });
  }

  private fail(type: string, message: string): string {
    this.finished = true;
    return frame(anthropicErrorBody(type, message));
  }
}
