import { SseDecoder } from "../shared/sse";
import { MessagesStreamWriter } from "./stream-events";

const encoder = new TextEncoder();

/**
 * The gateway's chat SSE body -> Anthropic's Messages SSE body, as a TransformStream: each network read is decoded
 * into events (the one SSE decoder: events split anywhere are reassembled) and the frames they become are written
 * at once, so nothing waits for the end. `model`: the model asked for (used only if no chunk names one).
 */
export function chatToMessagesStream(model: string): TransformStream<Uint8Array, Uint8Array> {
  const writer = new MessagesStreamWriter(model);
  let pending = "";
  const decoder = new SseDecoder((event) => (pending += writer.onEvent(event)));
  const flush = (controller: TransformStreamDefaultController<Uint8Array>) => {
    if (pending === "") return;
    controller.enqueue(encoder.encode(pending));
    pending = "";
  };
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      decoder.push(chunk);
      flush(controller);
    },
    flush(controller) {
      decoder.end();
      pending += writer.end();
      flush(controller);
    },
  });
}
