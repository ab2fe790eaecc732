import type { ChatCompletion, ChatCompletionMessage, ResponseToolCall } from "../../schema/openai-response";
import { parseUpstream } from "../shared/json";
import type { ResponseContext } from "../types";
import { mapStopReason } from "./finish-reason";
import { isJsonTool } from "./json-tool";
import { toOpenAIUsage } from "./usage";
import { messageSchema, type AnthropicContentBlock } from "./wire";

interface CollectedContent {
  text: string;
  reasoning: string;
  toolCalls: ResponseToolCall[];
  /** Input of the json_schema emulation tool, as JSON text. */
  jsonAnswer: string | null;
}

/** Text blocks concatenate; thinking becomes reasoning; tool_use becomes tool_calls (or the json answer). */
function collect(blocks: readonly AnthropicContentBlock[]): CollectedContent {
  const out: CollectedContent = { text: "", reasoning: "", toolCalls: [], jsonAnswer: null };
  for (const block of blocks) {
    switch (block.type) {
      case "text":
        out.text += block.text;
        break;
      case "thinking":
        out.reasoning += block.thinking;
        break;
      case "tool_use":
        if (isJsonTool(block.name)) out.jsonAnswer = JSON.stringify(block.input);
        else
          out.toolCalls.push({
            id: block.id,
            type: "function",
            function: { name: block.name, arguments: JSON.stringify(block.input) },
          });
        break;
      // redacted_thinking is encrypted; server-tool blocks and future kinds have no OpenAI equivalent.
      case "redacted_thinking":
      case "other":
        break;
    }
  }
  return out;
}

/**
 * The json_schema answer replaces any text: the client asked for JSON, and text Claude wrote before calling the
 * tool ("Here is the result:") would make the content unparseable.
 */
function messageContent(collected: CollectedContent): string | null {
  if (collected.jsonAnswer !== null) return collected.jsonAnswer;
  if (collected.text === "" && collected.toolCalls.length > 0) return null;
  return collected.text;
}

/** Anthropic message -> OpenAI chat.completion (id and model as Anthropic reports them). */
export function parseAnthropicResponse(json: unknown, ctx: ResponseContext): ChatCompletion {
  const message = parseUpstream(messageSchema, json, "Anthropic message");
  const collected = collect(message.content);
  const out: ChatCompletionMessage = { role: "assistant", content: messageContent(collected), refusal: null };
  if (collected.toolCalls.length > 0) out.tool_calls = collected.toolCalls;
  if (collected.reasoning !== "") out.reasoning_content = collected.reasoning;
  return {
    id: message.id,
    object: "chat.completion",
    created: ctx.created,
    model: message.model || ctx.model,
    choices: [
      {
        index: 0,
        message: out,
        finish_reason: mapStopReason(message.stop_reason, collected.toolCalls.length > 0),
        logprobs: null,
      },
    ],
    usage: toOpenAIUsage(message.usage),
  };
}
