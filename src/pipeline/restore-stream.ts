import { SseDecoder } from "../../providers/shared/sse";
import { StreamRestorer } from "./restore-stream-state";

/**
 * PII placeholders of an input redaction restored inside a streamed answer (the client's OpenAI SSE frames, after
 * the cache, so a stored stream keeps placeholders). Every choice's text (`delta.content`, or a completion's
 * `text`) and every streamed tool call's arguments go through a streaming restorer of their own
 * (restore-stream-state.ts), which holds back only a tail that could still become a placeholder (`[EMAIL_ADDR`).
 * A held tail goes out with the next fragment of the same text, with its choice's finishing fragment, or in a
 * chunk of its own right before the chunk that finishes its choice or before `[DONE]`. Frames in which nothing is
 * restored (and other frames: usage, errors) pass unchanged.
 */

const encoder = new TextEncoder();

export function restoreStream(
  source: ReadableStream<Uint8Array>,
  map: ReadonlyMap<string, string>,
): ReadableStream<Uint8Array> {
  const restorer = new StreamRestorer(map);
  const decoder = new SseDecoder((event) => restorer.add(event.data));
  const send = (controller: TransformStreamDefaultController<Uint8Array>) => {
    const text = restorer.take();
    if (text) controller.enqueue(encoder.encode(text));
  };
  return source.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(bytes, controller) {
        decoder.push(bytes);
        send(controller);
      },
      flush(controller) {
        decoder.end();
        restorer.flushAll();
        send(controller);
      },
    }),
  );
}
