import type { ChatCompletionChunk, ChunkToolCallDelta, Usage } from "../../schema/openai-response";
import { readChatStreamEvent } from "../shared/chat-stream-event";
import type { SseEvent } from "../shared/sse";
import {
  finalStatusOf,
  newId,
  outputText,
  responseUsageOf,
  type FunctionCallOutputItem,
  type MessageOutputItem,
  type ResponseObject,
} from "./wire";

/**
 * The gateway's chat stream (OpenAI `chat.completion.chunk` events, `[DONE]`, or the gateway's `{"error": ...}`
 * frame) -> the Responses API's typed events, one input event at a time, nothing held back but the finish reason
 * and usage (which the Responses API reports at the end too):
 *
 *   response.created, response.in_progress,
 *   per text item:  output_item.added, content_part.added, output_text.delta*, output_text.done,
 *                   content_part.done, output_item.done
 *   per tool call:  output_item.added, function_call_arguments.delta*, function_call_arguments.done,
 *                   output_item.done
 *   response.completed (or response.incomplete when the output was cut by max_output_tokens), with usage
 *
 * A failure (the gateway's error frame, a non-JSON event, a stream that ends without `[DONE]`) becomes an `error`
 * event and `response.failed`. Every frame's `event:` name equals its data's `type`; `sequence_number` counts up
 * from 0. `onDone` receives the final response (completed, incomplete or failed), for storage.
 */

type OpenItem =
  { kind: "message"; item: MessageOutputItem } | { kind: "call"; item: FunctionCallOutputItem; toolIndex: number };

export class ResponsesStreamWriter {
  private sequence = 0;
  private started = false;
  private finished = false;
  private open: OpenItem | null = null;
  private readonly response: ResponseObject;
  private finishReason: string | null = null;
  private usage: Usage | null = null;

  constructor(
    shell: ResponseObject,
    private readonly onDone: (response: ResponseObject) => void = () => {},
  ) {
    this.response = { ...shell, output: [] };
  }

  /** The Responses frames one chat stream event becomes ("" for none). */
  onEvent(event: SseEvent): string {
    if (this.finished) return "";
    const read = readChatStreamEvent(event);
    if (read.kind === "done") return this.finish();
    if (read.kind === "not-json") return this.fail("server_error", read.message);
    if (read.kind === "error") return this.fail(read.code ?? read.type ?? "server_error", read.message);
    return read.kind === "chunk" ? this.onChunk(read.chunk) : "";
  }

  /** The chat stream closed: complete only if `[DONE]` (or an error) came first. */
  end(): string {
    return this.finished ? "" : this.fail("server_error", "upstream stream was interrupted before it completed");
  }

  private frame(data: Record<string, unknown> & { type: string }): string {
    const body = { ...data, sequence_number: this.sequence++ };
    return `event: ${data.type}\ndata: ${JSON.stringify(body)}\n\n`;
  }

  private snapshot(): ResponseObject {
    return structuredClone(this.response);
  }

  private start(chunk: ChatCompletionChunk | null): string {
    this.started = true;
    if (chunk?.model) this.response.model = chunk.model;
    return (
      this.frame({ type: "response.created", response: this.snapshot() }) +
      this.frame({ type: "response.in_progress", response: this.snapshot() })
    );
  }

  private onChunk(chunk: ChatCompletionChunk): string {
    let out = this.started ? "" : this.start(chunk);
    if (chunk.usage) this.usage = chunk.usage;
    const choice = chunk.choices.find((candidate) => candidate.index === 0);
    if (!choice) return out;
    const { content, tool_calls: calls } = choice.delta ?? {};
    if (typeof content === "string" && content !== "") out += this.onText(content);
    for (const call of Array.isArray(calls) ? calls : []) out += this.onToolCall(call);
    if (choice.finish_reason) this.finishReason = choice.finish_reason;
    return out;
  }

  private outputIndex(): number {
    return this.response.output.length - 1;
  }

  private onText(delta: string): string {
    let out = "";
    if (this.open?.kind !== "message") {
      out += this.close();
      const item: MessageOutputItem = {
        type: "message",
        id: newId("msg"),
        status: "in_progress",
        role: "assistant",
        content: [],
      };
      this.open = { kind: "message", item };
      this.response.output.push(item);
      out += this.frame({
        type: "response.output_item.added",
        output_index: this.outputIndex(),
        item: structuredClone(item),
      });
      item.content.push(outputText(""));
      out += this.frame({
        type: "response.content_part.added",
        item_id: item.id,
        output_index: this.outputIndex(),
        content_index: 0,
        part: outputText(""),
      });
    }
    const { item } = this.open as { item: MessageOutputItem };
    const part = item.content[0];
    if (part) part.text += delta;
    return (
      out +
      this.frame({
        type: "response.output_text.delta",
        item_id: item.id,
        output_index: this.outputIndex(),
        content_index: 0,
        delta,
        logprobs: [],
      })
    );
  }

  private onToolCall(call: ChunkToolCallDelta): string {
    let out = "";
    const open = this.open;
    const sameCall = open?.kind === "call" && open.toolIndex === call.index && call.id === undefined;
    if (!sameCall) {
      out += this.close();
      const item: FunctionCallOutputItem = {
        type: "function_call",
        id: newId("fc"),
        call_id: call.id ?? `call_gateway_${call.index}`,
        name: call.function?.name ?? "",
        arguments: "",
        status: "in_progress",
      };
      this.open = { kind: "call", item, toolIndex: call.index };
      this.response.output.push(item);
      out += this.frame({
        type: "response.output_item.added",
        output_index: this.outputIndex(),
        item: structuredClone(item),
      });
    }
    const { item } = this.open as { item: FunctionCallOutputItem };
    const args = call.function?.arguments;
    if (typeof args !== "string" || args === "") return out;
    item.arguments += args;
    return (
      out +
      this.frame({
        type: "response.function_call_arguments.delta",
        item_id: item.id,
        output_index: this.outputIndex(),
        delta: args,
      })
    );
  }

  /** Closes the open item: its done events, then output_item.done with the whole item. */
  private close(status: "completed" | "incomplete" = "completed"): string {
    const open = this.open;
    if (!open) return "";
    this.open = null;
    const index = this.outputIndex();
    const { item } = open;
    item.status = status;
    let out = "";
    if (open.kind === "message") {
      const part = open.item.content[0] ?? outputText("");
      out += this.frame({
        type: "response.output_text.done",
        item_id: item.id,
        output_index: index,
        content_index: 0,
        text: part.text,
        logprobs: [],
      });
      out += this.frame({
        type: "response.content_part.done",
        item_id: item.id,
        output_index: index,
        content_index: 0,
        part: structuredClone(part),
      });
    } else {
      out += this.frame({
        type: "response.function_call_arguments.done",
        item_id: item.id,
        output_index: index,
        name: open.item.name,
        arguments: open.item.arguments,
      });
    }
    return out + this.frame({ type: "response.output_item.done", output_index: index, item: structuredClone(item) });
  }

  private finish(): string {
    const head = this.started ? "" : this.start(null);
    this.finished = true;
    const final = finalStatusOf(this.finishReason);
    const out = this.close(final.status === "completed" ? "completed" : "incomplete");
    Object.assign(this.response, final, { usage: responseUsageOf(this.usage) });
    this.onDone(this.snapshot());
    const type = final.status === "completed" ? "response.completed" : "response.incomplete";
    return head + out + this.frame({ type, response: this.snapshot() });
  }

  private fail(code: string, message: string): string {
    const head = this.started ? "" : this.start(null);
    this.finished = true;
    const out = this.close("incomplete");
    Object.assign(this.response, { status: "failed", error: { code, message }, usage: responseUsageOf(this.usage) });
    this.onDone(this.snapshot());
    return (
      head +
      out +
      this.frame({ type: "error", code, message, param: null }) +
      this.frame({ type: "response.failed", response: this.snapshot() })
    );
  }
}
