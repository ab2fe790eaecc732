import type { FinishReason } from "../../schema/openai-response";

/**
 * Converse `stopReason` -> OpenAI `finish_reason`:
 * - end_turn, stop_sequence -> stop
 * - max_tokens, model_context_window_exceeded -> length
 * - tool_use -> tool_calls (stop if no tool call came through)
 * - content_filtered, guardrail_intervened -> content_filter
 * - anything added later -> stop (the answer is complete as far as we can tell)
 */
export function mapStopReason(stopReason: string, calledTool: boolean): FinishReason {
  switch (stopReason) {
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length";
    case "tool_use":
      return calledTool ? "tool_calls" : "stop";
    case "content_filtered":
    case "guardrail_intervened":
      return "content_filter";
    default:
      return "stop";
  }
}
