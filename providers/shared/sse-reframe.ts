import { SseDecoder, type SseEvent } from "./sse";

const encoder = new TextEncoder();

/** Turns one decoded SSE event into the frames of another format ("" for none); `end` writes what is left. */
export interface SseFrameWriter {
  onEvent(event: SseEvent): string;
  end(): string;
}

/**
 * One SSE body -> another, as a TransformStream: each network read is decoded into events (the one SSE decoder:
 * events split anywhere are reassembled) and the frames `writer` makes of them are written at once, so nothing
 * waits for the end.
 */
export function sseReframeStream(writer: SseFrameWriter): TransformStream<Uint8Array, Uint8Array> {
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
