import type { ChatMessage, ToolCall } from "../../schema/openai-request";
import { readCacheControl } from "../anthropic/content";
import { UnsupportedParameterError } from "../types";
import { CACHE_POINT, userPartBlocks } from "./content";
import type { ContentBlock, ConverseMessage, SystemBlock, TextBlock } from "./request-types";

export interface ConvertedMessages {
  system: SystemBlock[];
  messages: ConverseMessage[];
  /** The conversation already holds toolUse / toolResult blocks: Converse then requires a toolConfig. */
  hasToolBlocks: boolean;
}

type TextContent = Extract<ChatMessage, { role: "system" | "developer" | "tool" }>["content"];

/** Text (or text parts) -> non-blank text blocks, with a cache point after a part that carries cache_control. */
function textBlocks(content: TextContent, param: string): Array<TextBlock | typeof CACHE_POINT> {
  if (typeof content === "string") return content.trim() === "" ? [] : [{ text: content }];
  return content.flatMap((part, j) => {
    const cache = readCacheControl(part.cache_control, `${param}[${j}].cache_control`) ? [CACHE_POINT] : [];
    return part.text.trim() === "" ? cache : [{ text: part.text }, ...cache];
  });
}

/** OpenAI carries tool arguments as JSON text; Converse wants the JSON value (an object). */
function toolInput(call: ToolCall, param: string): unknown {
  const args = call.function.arguments;
  if (args.trim() === "") return {};
  try {
    return JSON.parse(args);
  } catch {
    throw new UnsupportedParameterError(param, `${param} is not valid JSON; Bedrock needs tool input as JSON`);
  }
}

function assistantBlocks(message: Extract<ChatMessage, { role: "assistant" }>, i: number): ContentBlock[] {
  const blocks: ContentBlock[] = [];
  const { content } = message;
  if (typeof content === "string") {
    if (content.trim() !== "") blocks.push({ text: content });
  } else if (content) {
    for (const part of content) {
      const text = part.type === "text" ? part.text : part.refusal;
      if (text.trim() !== "") blocks.push({ text });
    }
  }
  message.tool_calls?.forEach((call, j) => {
    const param = `messages[${i}].tool_calls[${j}].function.arguments`;
    blocks.push({ toolUse: { toolUseId: call.id, name: call.function.name, input: toolInput(call, param) } });
  });
  return blocks;
}

function blocksOf(message: ChatMessage, i: number): { role: ConverseMessage["role"]; blocks: ContentBlock[] } {
  switch (message.role) {
    case "user":
      if (typeof message.content === "string")
        return { role: "user", blocks: message.content.trim() === "" ? [] : [{ text: message.content }] };
      return {
        role: "user",
        blocks: message.content.flatMap((part, j) => userPartBlocks(part, `messages[${i}].content[${j}]`)),
      };
    case "assistant":
      return { role: "assistant", blocks: assistantBlocks(message, i) };
    case "tool": {
      const content = textBlocks(message.content, `messages[${i}].content`).filter(
        (block): block is TextBlock => "text" in block,
      );
      // A tool that returned nothing still answered; Converse refuses blank text, so "nothing" is an empty JSON object.
      const result = content.length > 0 ? content : [{ json: {} }];
      return { role: "user", blocks: [{ toolResult: { toolUseId: message.tool_call_id, content: result } }] };
    }
    default:
      return { role: "user", blocks: [] };
  }
}

/**
 * OpenAI messages -> Converse `system` and `messages`. System and developer messages go to `system` wherever they
 * appear; tool messages become `toolResult` blocks in a user turn; consecutive turns of one role are merged,
 * because Converse requires user and assistant turns to alternate (several tool results answer one assistant
 * turn, in one user message).
 */
export function convertMessages(input: readonly ChatMessage[]): ConvertedMessages {
  const system: SystemBlock[] = [];
  const messages: ConverseMessage[] = [];
  let hasToolBlocks = false;
  input.forEach((message, i) => {
    if (message.role === "system" || message.role === "developer") {
      system.push(...textBlocks(message.content, `messages[${i}].content`));
      return;
    }
    const { role, blocks } = blocksOf(message, i);
    if (blocks.length === 0) return;
    hasToolBlocks ||= blocks.some((block) => "toolUse" in block || "toolResult" in block);
    const last = messages.at(-1);
    if (last?.role === role) last.content.push(...blocks);
    else messages.push({ role, content: blocks });
  });
  if (messages.length === 0)
    throw new UnsupportedParameterError("messages", "Bedrock needs at least one non-empty user or assistant message");
  return { system, messages, hasToolBlocks };
}
