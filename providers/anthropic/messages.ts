import type { ChatMessage, ToolCall } from "../../schema/openai-request";
import { UnsupportedParameterError } from "../types";
import { readCacheControl, textBlock, userPartToBlock } from "./content";
import type {
  AnthropicMessageParam,
  AssistantBlock,
  TextBlockParam,
  ToolResultBlockParam,
  ToolUseBlockParam,
  UserBlock,
} from "./request-types";

export interface ConvertedMessages {
  /** system and developer messages, in order, wherever they appeared in the conversation. */
  system: TextBlockParam[];
  /** Alternating user / assistant turns. */
  messages: AnthropicMessageParam[];
}

type TextContent = Extract<ChatMessage, { role: "system" | "developer" | "tool" }>["content"];

/** A string or text parts -> non-empty text blocks (Anthropic rejects empty text blocks). */
function textBlocks(content: TextContent, param: string): TextBlockParam[] {
  if (typeof content === "string") return content === "" ? [] : [textBlock(content)];
  const blocks: TextBlockParam[] = [];
  content.forEach((part, j) => {
    if (part.text !== "")
      blocks.push(textBlock(part.text, readCacheControl(part.cache_control, `${param}[${j}].cache_control`)));
  });
  return blocks;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** OpenAI carries tool arguments as JSON text; Anthropic wants the object. */
function parseToolArguments(args: string, param: string): Record<string, unknown> {
  if (args.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(args);
  } catch {
    throw new UnsupportedParameterError(
      param,
      `${param} is not valid JSON; Anthropic needs tool input as a JSON object`,
    );
  }
  if (!isRecord(value)) throw new UnsupportedParameterError(param, `${param} must encode a JSON object for Anthropic`);
  return value;
}

function toolUseBlock(call: ToolCall, param: string): ToolUseBlockParam {
  const input = parseToolArguments(call.function.arguments, `${param}.function.arguments`);
  return { type: "tool_use", id: call.id, name: call.function.name, input };
}

function assistantBlocks(message: Extract<ChatMessage, { role: "assistant" }>, i: number): AssistantBlock[] {
  const blocks: AssistantBlock[] = [];
  const { content } = message;
  if (typeof content === "string") {
    if (content !== "") blocks.push(textBlock(content));
  } else if (content) {
    for (const part of content) {
      // A refusal the model gave earlier is still something it said: replay it as text.
      const text = part.type === "text" ? part.text : part.refusal;
      if (text !== "") blocks.push(textBlock(text));
    }
  }
  message.tool_calls?.forEach((call, j) => blocks.push(toolUseBlock(call, `messages[${i}].tool_calls[${j}]`)));
  return blocks;
}

function userBlocks(message: Extract<ChatMessage, { role: "user" }>, i: number): UserBlock[] {
  if (typeof message.content === "string") return message.content === "" ? [] : [textBlock(message.content)];
  const blocks: UserBlock[] = [];
  message.content.forEach((part, j) => {
    const block = userPartToBlock(part, `messages[${i}].content[${j}]`);
    if (block) blocks.push(block);
  });
  return blocks;
}

function toolResultBlock(message: Extract<ChatMessage, { role: "tool" }>, i: number): ToolResultBlockParam {
  const blocks = textBlocks(message.content, `messages[${i}].content`);
  const block: ToolResultBlockParam = { type: "tool_result", tool_use_id: message.tool_call_id };
  if (typeof message.content === "string") {
    if (message.content !== "") block.content = message.content;
  } else if (blocks.length > 0) {
    block.content = blocks;
  }
  return block;
}

/**
 * Anthropic requires user and assistant turns to alternate, so consecutive turns of one role merge; tool results
 * travel as `tool_result` blocks in a user turn, which is how the results of parallel tool calls end up together.
 */
class TurnBuilder {
  readonly turns: AnthropicMessageParam[] = [];

  user(blocks: UserBlock[]): void {
    const last = this.turns.at(-1);
    if (last?.role === "user") last.content.push(...blocks);
    else this.turns.push({ role: "user", content: blocks });
  }

  assistant(blocks: AssistantBlock[]): void {
    const last = this.turns.at(-1);
    if (last?.role === "assistant") last.content.push(...blocks);
    else this.turns.push({ role: "assistant", content: blocks });
  }
}

/**
 * OpenAI messages -> Anthropic `system` + `messages`. system and developer messages move to the top-level
 * `system` (Anthropic has no system role), keeping their order. A user message with no content is refused (the
 * API would refuse it); an assistant message with neither text nor tool calls carries nothing and is dropped.
 * `name` fields have no Anthropic equivalent and are dropped.
 */
export function convertMessages(messages: readonly ChatMessage[]): ConvertedMessages {
  const system: TextBlockParam[] = [];
  const turns = new TurnBuilder();
  messages.forEach((message, i) => {
    switch (message.role) {
      case "system":
      case "developer":
        system.push(...textBlocks(message.content, `messages[${i}].content`));
        return;
      case "user": {
        const blocks = userBlocks(message, i);
        if (blocks.length === 0) {
          throw new UnsupportedParameterError(
            `messages[${i}].content`,
            "user messages must not be empty for Anthropic",
          );
        }
        turns.user(blocks);
        return;
      }
      case "assistant": {
        const blocks = assistantBlocks(message, i);
        if (blocks.length > 0) turns.assistant(blocks);
        return;
      }
      case "tool":
        turns.user([toolResultBlock(message, i)]);
        return;
    }
  });
  return { system, messages: turns.turns };
}

/** The conversation ends with tool results: the request continues an assistant turn that called tools. */
export function continuesToolLoop(turns: readonly AnthropicMessageParam[]): boolean {
  const last = turns.at(-1);
  return last?.role === "user" && last.content.some((block) => block.type === "tool_result");
}
