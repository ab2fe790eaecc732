import type { FinishReason } from "../../schema/openai-response";

/**
 * Anthropic `stop_reason` -> OpenAI `finish_reason`.
 * - end_turn, stop_sequence -> stop; pause_turn (a server-tool turn paused, the caller may continue) -> stop
 * - max_tokens, model_context_window_exceeded -> length
 * - tool_use -> tool_calls, except when the only tool called was the json_schema emulation tool -> stop
 * - refusal (streaming classifiers stopped the answer) -> content_filter
 * - a reason added later -> stop (the answer is complete as far as we can tell); null stays null
 */
export function mapStopReason(stopReason: string | null | undefined, calledClientTool: boolean): FinishReason | null {
  switch (stopReason) {
    case null:
    case undefined:
      return null;
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length";
    case "tool_use":
      return calledClientTool ? "tool_calls" : "stop";
    case "refusal":
      return "content_filter";
    default:
      return "stop";
  }
}
