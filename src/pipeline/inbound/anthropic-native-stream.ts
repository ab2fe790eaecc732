import { createAnthropicStreamMapper } from "../../../providers/anthropic/stream";
import { anthropicErrorBody } from "../../../providers/inbound-anthropic/errors";
import { SseDecoder } from "../../../providers/shared/sse";
import type { ChatStreamMapper, ResponseContext } from "../../../providers/types";
import type { ChatCompletionChunk } from "../../../schema/openai-response";
import type { RequestOutcome } from "../../context";
import { MAX_STREAMED_TEXT } from "../stream";
import { pipeNativeStream } from "./native-pipe";
import type { NativeStreamOptions } from "./types";

/** The answer's facts from one translated chunk: usage, finish reason, the served model, the text (capped). */
function record(chunk: ChatCompletionChunk, outcome: RequestOutcome): void {
  const { answer, route, stream } = outcome;
  if (chunk.usage) answer.usage = chunk.usage;
  if (route.servedModel === undefined && chunk.model) route.servedModel = chunk.model;
  for (const choice of chunk.choices) {
    if (choice.finish_reason) answer.finishReason = choice.finish_reason;
    const text =
      (choice.delta.content ?? "") +
      (choice.delta.tool_calls ?? []).map((call) => call.function?.arguments ?? "").join("");
    if (text !== "" && (stream.streamedText?.length ?? 0) < MAX_STREAMED_TEXT)
      stream.streamedText = (stream.streamedText ?? "") + text;
  }
}

/**
 * Observes the upstream events with the Anthropic adapter's own stream mapper, for the outcome only. The first
 * failure (Anthropic's own `error` event, a malformed event) stops the observing and is kept as the stream error:
 * the client already got Anthropic's bytes, error event included.
 */
class Observer {
  failure: string | undefined;
  private readonly decoder: SseDecoder;

  constructor(
    private readonly mapper: ChatStreamMapper,
    private readonly outcome: RequestOutcome,
  ) {
    this.decoder = new SseDecoder((event) => {
      if (this.failure === undefined)
        this.guard(() => mapper.onEvent(event).forEach((chunk) => record(chunk, outcome)));
    });
  }

  push(bytes: Uint8Array): void {
    this.guard(() => this.decoder.push(bytes));
  }

  /** The upstream closed: true when it had completed (message_stop, or its own error event). */
  end(): boolean {
    this.guard(() => this.decoder.end());
    if (this.failure !== undefined) return true;
    this.guard(() => this.mapper.end().forEach((chunk) => record(chunk, this.outcome)));
    return this.failure === undefined;
  }

  private guard(run: () => void): void {
    if (this.failure !== undefined) return;
    try {
      run();
    } catch (error) {
      this.failure = error instanceof Error ? error.message : "upstream stream failed";
      this.outcome.stream.error = this.failure;
    }
  }
}

const errorEvent = (message: string): string => {
  const body = anthropicErrorBody("api_error", message);
  return `event: error\ndata: ${JSON.stringify(body)}\n\n`;
};

/**
 * A native Anthropic stream for a /v1/messages client: Anthropic's bytes go out as they came (byte-faithful;
 * only a credential the provider echoes is redacted), read by read, while the same events fill the outcome. A
 * stream that breaks or ends before message_stop gets an `error` event appended, as Anthropic itself would send.
 */
export function pipeAnthropicStream(
  upstream: ReadableStream<Uint8Array>,
  ctx: ResponseContext,
  options: NativeStreamOptions,
): ReadableStream<Uint8Array> {
  return pipeNativeStream(upstream, options, {
    observer: new Observer(createAnthropicStreamMapper(ctx), options.outcome),
    errorEvent,
    incompleteReason: (outcome) => outcome.stream.error ?? "incomplete",
  });
}
