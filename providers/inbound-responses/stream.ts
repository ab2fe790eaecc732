import { SseDecoder } from "../shared/sse";
import { ResponsesStreamWriter } from "./stream-events";
import type { ResponseObject } from "./wire";

const encoder = new TextEncoder();

/**
 * The gateway's chat SSE body -> the Responses API's SSE body, as a TransformStream: each network read is decoded
 * (the one SSE decoder reassembles events split anywhere) and the frames it becomes are written at once, so
 * nothing waits for the end. `shell`: the response as it starts (wire.ts responseShell); `onDone` gets the final
 * response once the stream completes or fails (the stored-responses write).
 */
export function chatToResponsesStream(
  shell: ResponseObject,
  onDone?: (response: ResponseObject) => void,
): TransformStream<Uint8Array, Uint8Array> {
  const writer = new ResponsesStreamWriter(shell, onDone);
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
