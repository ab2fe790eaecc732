import { sseReframeStream } from "../shared/sse-reframe";
import { MessagesStreamWriter } from "./stream-events";

/**
 * The gateway's chat SSE body -> Anthropic's Messages SSE body, as a TransformStream: each network read is decoded
 * into events (the one SSE decoder: events split anywhere are reassembled) and the frames they become are written
 * at once, so nothing waits for the end. `model`: the model asked for (used only if no chunk names one).
 */
export function chatToMessagesStream(model: string): TransformStream<Uint8Array, Uint8Array> {
  return sseReframeStream(new MessagesStreamWriter(model));
}
