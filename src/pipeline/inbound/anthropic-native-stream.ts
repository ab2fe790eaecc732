import { createAnthropicStreamMapper } from "../../../providers/anthropic/stream";
import { anthropicErrorBody } from "../../../providers/inbound-anthropic/errors";
import { SseDecoder } from "../../../providers/shared/sse";
import type { ChatStreamMapper, ResponseContext } from "../../../providers/types";
import type { ChatCompletionChunk } from "../../../schema/openai-response";
import type { RequestOutcome } from "../../context";
import { CLIENT_ABORT } from "../../observability/build";
import { scrub } from "../../observability/scrub";
import { withoutSecrets } from "../answer-secrets";
import { MAX_STREAMED_TEXT } from "../stream";
import type { NativeStreamOptions } from "./types";

const encoder = new TextEncoder();

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

class ClientGone extends Error {}

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
  const { readable, writable } = new IdentityTransformStream();
  let resolveDone: () => void = () => {};
  options.outcome.stream.done = new Promise((resolve) => (resolveDone = resolve));
  const observer = new Observer(createAnthropicStreamMapper(ctx), options.outcome);
  void pump(upstream.getReader(), writable.getWriter(), observer, options).finally(() => resolveDone());
  return readable;
}

async function pump(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  writer: WritableStreamDefaultWriter<Uint8Array>,
  observer: Observer,
  options: NativeStreamOptions,
): Promise<void> {
  const { outcome, secrets } = options;
  const textDecoder = new TextDecoder();
  const write = async (bytes: Uint8Array) => {
    outcome.stream.firstTokenMs ??= performance.now() - options.startedAt;
    const out =
      secrets.length > 0 ? encoder.encode(withoutSecrets(textDecoder.decode(bytes, { stream: true }), secrets)) : bytes;
    await writer.write(out).catch(() => {
      throw new ClientGone();
    });
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      observer.push(value);
      await write(value);
    }
    if (!observer.end())
      await write(
        encoder.encode(errorEvent(`upstream stream was interrupted: ${outcome.stream.error ?? "incomplete"}`)),
      );
    await writer.close();
  } catch (error) {
    if (error instanceof ClientGone) outcome.stream.error = CLIENT_ABORT;
    else {
      outcome.stream.error = error instanceof Error ? error.message : "upstream stream failed";
      const message = scrub(`upstream stream was interrupted: ${outcome.stream.error}`, outcome.redact ?? []);
      await write(encoder.encode(errorEvent(message)))
        .then(() => writer.close())
        .catch(() => {});
    }
    await reader.cancel().catch(() => {});
  }
}
