import { sseReframeStream } from "../shared/sse-reframe";
import { ResponsesStreamWriter } from "./stream-events";
import type { ResponseObject } from "./wire";

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
  return sseReframeStream(new ResponsesStreamWriter(shell, onDone));
}
