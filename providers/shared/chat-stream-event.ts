import type { ChatCompletionChunk } from "../../schema/openai-response";
import type { SseEvent } from "./sse";

/**
 * One event of the gateway's own chat stream, as the inbound formats' stream writers need it: the `[DONE]` end,
 * an event that is not JSON, the gateway's `{"error": ...}` frame, a `chat.completion.chunk`, or something else
 * (ignored). The writers differ only in how each kind becomes their format's frames.
 */
export type ChatStreamEvent =
  | { kind: "done" }
  | { kind: "not-json"; message: string }
  | { kind: "error"; code: string | null; type: string | null; message: string }
  | { kind: "chunk"; chunk: ChatCompletionChunk }
  | { kind: "other" };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const stringOrNull = (value: unknown): string | null => (typeof value === "string" ? value : null);

export function readChatStreamEvent(event: SseEvent): ChatStreamEvent {
  if (event.data === "[DONE]") return { kind: "done" };
  let json: unknown;
  try {
    json = JSON.parse(event.data);
  } catch {
    return { kind: "not-json", message: "the upstream stream sent an event that is not JSON" };
  }
  if (isRecord(json) && isRecord(json.error)) {
    const { code, type, message } = json.error;
    return {
      kind: "error",
      code: stringOrNull(code),
      type: stringOrNull(type),
      message: typeof message === "string" ? message : "upstream stream failed",
    };
  }
  return isRecord(json) && Array.isArray(json.choices)
    ? { kind: "chunk", chunk: json as unknown as ChatCompletionChunk }
    : { kind: "other" };
}
