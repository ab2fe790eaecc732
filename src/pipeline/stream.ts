import type { ChatStreamMapper } from "../../providers/types";
import { IncompleteStreamError, UpstreamStreamError } from "../../providers/types";
import { SSE_DONE, SseDecoder, encodeSseData } from "../../providers/shared/sse";
import type { ChatCompletionChunk } from "../../schema/openai-response";
import type { RequestOutcome } from "../context";

export interface StreamOptions {
  /** The client asked for `stream_options.include_usage`: forward usage chunks. */
  includeUsage: boolean;
  outcome: RequestOutcome;
  startedAt: number;
}

function errorEvent(error: unknown): Uint8Array {
  const message = `upstream stream was interrupted: ${error instanceof Error ? error.message : "unknown failure"}`;
  let type = "api_error";
  let code = "upstream_stream_error";
  if (error instanceof IncompleteStreamError) code = "upstream_stream_incomplete";
  if (error instanceof UpstreamStreamError) {
    type = error.error.type;
    code = error.error.code ?? code;
  }
  return encodeSseData(JSON.stringify({ error: { message, type, param: null, code } }));
}

/** Record usage and finish reason as they pass; drop usage the client did not ask for. */
function forClient(chunk: ChatCompletionChunk, options: StreamOptions): ChatCompletionChunk | null {
  if (chunk.usage) options.outcome.usage = chunk.usage;
  for (const choice of chunk.choices) {
    if (choice.finish_reason) options.outcome.finishReason = choice.finish_reason;
  }
  if (options.includeUsage) return chunk;
  if (chunk.choices.length === 0 && chunk.usage) return null;
  if ("usage" in chunk) {
    const { usage: _dropped, ...rest } = chunk;
    return rest;
  }
  return chunk;
}

/**
 * The client's SSE body: pulls the upstream as the client reads (no buffering beyond one network chunk), decodes
 * events with the one SSE decoder, maps them with the provider's mapper and writes OpenAI chunks. A stream that
 * breaks, or ends without the provider's terminal event, ends with an error event and never with `[DONE]`.
 */
export function translateStream(
  upstream: ReadableStream<Uint8Array>,
  mapper: ChatStreamMapper,
  options: StreamOptions,
): ReadableStream<Uint8Array> {
  const reader = upstream.getReader();
  const { outcome } = options;
  let finished = false;
  let resolveDone: () => void = () => {};
  outcome.done = new Promise((resolve) => (resolveDone = resolve));
  const finish = (error?: string) => {
    finished = true;
    if (error) outcome.streamError = error;
    resolveDone();
  };
  let emit: (chunks: ChatCompletionChunk[]) => void = () => {};
  let sent = false;
  // Lives across pulls: it keeps partial lines and hands each event to the mapper as soon as it is complete.
  const decoder = new SseDecoder((event) => emit(mapper.onEvent(event)));

  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        emit = (chunks) => {
          for (const chunk of chunks) {
            const out = forClient(chunk, options);
            if (!out) continue;
            outcome.firstTokenMs ??= performance.now() - options.startedAt;
            controller.enqueue(encodeSseData(JSON.stringify(out)));
            sent = true;
          }
        };
      },
      async pull(controller) {
        try {
          // Keep reading until this pull produced output: a network chunk may hold only part of an event, and
          // a pull that enqueues nothing is not always called again.
          sent = false;
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            decoder.push(value);
            if (sent) return;
          }
          decoder.end();
          emit(mapper.end());
          controller.enqueue(SSE_DONE);
          controller.close();
          finish();
        } catch (error) {
          controller.enqueue(errorEvent(error));
          controller.close();
          reader.cancel().catch(() => {});
          finish(error instanceof Error ? error.message : "upstream stream failed");
        }
      },
      async cancel(reason) {
        if (!finished) finish("client closed the stream");
        await reader.cancel(reason).catch(() => {});
      },
    },
    { highWaterMark: 0 },
  );
}
