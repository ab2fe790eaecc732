import type { ChatCompletion, ChatCompletionMessage, ResponseToolCall } from "../../schema/openai-response";
import { isJsonTool } from "../anthropic/json-tool";
import { parseUpstream } from "../shared/json";
import type { ResponseContext } from "../types";
import { mapStopReason } from "./finish-reason";
import { toOpenAIUsage } from "./usage";
import { converseResponseSchema, type BedrockContentBlock } from "./wire";

interface Collected {
  text: string;
  reasoning: string;
  toolCalls: ResponseToolCall[];
  /** The input of the json_schema emulation tool (json-schema.ts), as JSON text. */
  jsonAnswer: string | null;
}

/** Text blocks concatenate, reasoningContent becomes reasoning_content, toolUse becomes tool_calls. */
function collect(blocks: readonly BedrockContentBlock[]): Collected {
  const out: Collected = { text: "", reasoning: "", toolCalls: [], jsonAnswer: null };
  for (const block of blocks) {
    if (block.text !== undefined) out.text += block.text;
    else if (block.toolUse) {
      const { toolUseId, name, input } = block.toolUse;
      if (isJsonTool(name)) out.jsonAnswer = JSON.stringify(input ?? {});
      else
        out.toolCalls.push({
          id: toolUseId,
          type: "function",
          function: { name, arguments: JSON.stringify(input ?? {}) },
        });
    } else if (block.reasoningContent?.reasoningText) out.reasoning += block.reasoningContent.reasoningText.text;
    // Redacted reasoning is encrypted; images, citations and guardrail blocks have no OpenAI equivalent.
  }
  return out;
}

/**
 * Converse response -> OpenAI chat.completion. Converse returns neither an id nor the model, so the id is the
 * gateway's and the model the one the client asked for (which is also how the price table names Bedrock models).
 */
export function parseBedrockResponse(json: unknown, ctx: ResponseContext): ChatCompletion {
  const response = parseUpstream(converseResponseSchema, json, "Bedrock Converse response");
  const collected = collect(response.output.message.content);
  const hasTools = collected.toolCalls.length > 0;
  // The json_schema answer replaces any text: the client asked for JSON only (as on Anthropic).
  const text = collected.jsonAnswer ?? collected.text;
  const message: ChatCompletionMessage = {
    role: "assistant",
    content: text === "" && hasTools ? null : text,
    refusal: null,
  };
  if (hasTools) message.tool_calls = collected.toolCalls;
  if (collected.reasoning !== "") message.reasoning_content = collected.reasoning;
  return {
    id: ctx.fallbackId,
    object: "chat.completion",
    created: ctx.created,
    model: ctx.model,
    choices: [{ index: 0, message, finish_reason: mapStopReason(response.stopReason, hasTools), logprobs: null }],
    usage: toOpenAIUsage(response.usage),
  };
}
