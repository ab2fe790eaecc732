import type {
  ContentBlock,
  MessageParam,
  MessagesRequest,
  TextBlock,
  ToolChoiceParam,
  ToolParam,
} from "../../schema/anthropic-messages";
import type {
  ChatCompletionRequest,
  ChatMessage,
  FunctionTool,
  ToolCall,
  UserContentPart,
} from "../../schema/openai-request";
import { TranslationProblems } from "./problems";

/**
 * Anthropic Messages request -> the gateway's chat request (OpenAI's format), for targets other than Anthropic
 * (which get the Messages body natively). Pure.
 *
 * The translation never fails: what chat cannot say is recorded as a problem (the path and why) instead, and only
 * a target that needs the translation refuses the request with it, so a config whose Anthropic target would have
 * served the body natively still works. Dropped on purpose, because the chat format has no place for them and the
 * answer does not depend on them: thinking and redacted_thinking blocks of earlier turns (OpenAI-format providers
 * never see prior reasoning either), cache_control (prompt caching is Anthropic's), tool_result `is_error`, top_k.
 */
export interface ChatTranslation {
  chat: ChatCompletionRequest;
  problems: TranslationProblems;
}

type Block<T extends ContentBlock["type"]> = Extract<ContentBlock, { type: T }>;

const textPart = (text: string): UserContentPart => ({ type: "text", text });

function imagePart(block: Block<"image">, param: string, problems: TranslationProblems): UserContentPart | null {
  const { source } = block;
  if (source.type === "base64")
    return { type: "image_url", image_url: { url: `data:${source.media_type};base64,${source.data}` } };
  if (source.type === "url") return { type: "image_url", image_url: { url: source.url } };
  return problems.add(
    `${param}.source`,
    "images uploaded to Anthropic's Files API (file_id) can only be read by Anthropic",
  );
}

function documentPart(block: Block<"document">, param: string, problems: TranslationProblems): UserContentPart | null {
  const { source } = block;
  const filename = block.title ?? "document.pdf";
  switch (source.type) {
    case "base64":
      return { type: "file", file: { file_data: `data:application/pdf;base64,${source.data}`, filename } };
    case "url":
      return { type: "file", file: { file_data: source.url, filename } };
    case "text":
      return textPart(source.data);
    case "content":
      return textPart(typeof source.content === "string" ? source.content : textOfBlocks(source.content));
    case "file":
      return problems.add(
        `${param}.source`,
        "documents uploaded to Anthropic's Files API (file_id) can only be read by Anthropic",
      );
  }
}

/** The text of loosely typed blocks (document content, tool results): text blocks joined, others skipped. */
function textOfBlocks(blocks: readonly { type: string; text?: unknown }[]): string {
  return blocks
    .flatMap((block) => (block.type === "text" && typeof block.text === "string" ? [block.text] : []))
    .join("\n");
}

/** One block of a user turn (tool results aside) -> a chat content part; null when it has no chat equivalent. */
function userPart(block: ContentBlock, param: string, problems: TranslationProblems): UserContentPart | null {
  switch (block.type) {
    case "text":
      return textPart(block.text);
    case "image":
      return imagePart(block, param, problems);
    case "document":
      return documentPart(block, param, problems);
    case "thinking":
    case "redacted_thinking":
      return null;
    case "tool_use":
      return problems.add(param, "tool_use blocks belong in assistant turns");
    case "tool_result":
      return null; // handled by userTurn
    case "other":
      return problems.add(param, `"${block.originalType}" blocks can only be read by Anthropic`);
  }
}

/** A tool_result -> a tool message; its images and documents travel in the user message that follows. */
function toolMessage(
  block: Block<"tool_result">,
  param: string,
  media: UserContentPart[],
  problems: TranslationProblems,
): ChatMessage {
  const { content } = block;
  if (content === undefined || typeof content === "string")
    return { role: "tool", tool_call_id: block.tool_use_id, content: content ?? "" };
  const texts: string[] = [];
  content.forEach((part, j) => {
    if (part.type === "text") texts.push(part.text);
    else {
      const converted = userPart(part, `${param}.content[${j}]`, problems);
      if (converted) media.push(converted);
    }
  });
  return { role: "tool", tool_call_id: block.tool_use_id, content: texts.join("\n") };
}

/** A user turn -> its tool messages (chat wants them right after the assistant's call), then the user message. */
function userTurn(message: MessageParam, i: number, problems: TranslationProblems): ChatMessage[] {
  if (typeof message.content === "string") return [{ role: "user", content: message.content }];
  const tools: ChatMessage[] = [];
  const parts: UserContentPart[] = [];
  message.content.forEach((block, j) => {
    const param = `messages[${i}].content[${j}]`;
    if (block.type === "tool_result") tools.push(toolMessage(block, param, parts, problems));
    else {
      const part = userPart(block, param, problems);
      if (part) parts.push(part);
    }
  });
  return parts.length > 0 ? [...tools, { role: "user", content: parts }] : tools;
}

function toolCall(block: Block<"tool_use">): ToolCall {
  return { id: block.id, type: "function", function: { name: block.name, arguments: JSON.stringify(block.input) } };
}

/** An assistant turn -> one assistant message: text joined, tool_use blocks as tool_calls, thinking dropped. */
function assistantTurn(message: MessageParam, i: number, problems: TranslationProblems): ChatMessage {
  if (typeof message.content === "string") return { role: "assistant", content: message.content };
  const texts: string[] = [];
  const calls: ToolCall[] = [];
  message.content.forEach((block, j) => {
    if (block.type === "text") texts.push(block.text);
    else if (block.type === "tool_use") calls.push(toolCall(block));
    else if (block.type !== "thinking" && block.type !== "redacted_thinking") {
      const kind = block.type === "other" ? block.originalType : block.type;
      problems.add(`messages[${i}].content[${j}]`, `"${kind}" blocks in assistant turns have no chat equivalent`);
    }
  });
  const text = texts.join("");
  if (calls.length === 0) return { role: "assistant", content: text };
  return { role: "assistant", content: text === "" ? null : text, tool_calls: calls };
}

function systemMessage(system: MessagesRequest["system"]): ChatMessage[] {
  if (system === undefined) return [];
  const text = typeof system === "string" ? system : system.map((block: TextBlock) => block.text).join("\n\n");
  return text === "" ? [] : [{ role: "system", content: text }];
}

function chatTools(tools: readonly ToolParam[], problems: TranslationProblems): FunctionTool[] {
  const out: FunctionTool[] = [];
  tools.forEach((tool, i) => {
    if (!tool.input_schema || (tool.type != null && tool.type !== "custom")) {
      problems.add(
        `tools[${i}]`,
        `server tool "${tool.type ?? tool.name}" is run by Anthropic: only Anthropic targets can use it`,
      );
      return;
    }
    const fn: FunctionTool["function"] = { name: tool.name, parameters: tool.input_schema };
    if (tool.description !== undefined) fn.description = tool.description;
    out.push({ type: "function", function: fn });
  });
  return out;
}

/** auto -> auto, any -> required, tool -> that function, none -> none; disable_parallel_tool_use -> parallel_tool_calls. */
function chatToolChoice(choice: ToolChoiceParam): Pick<ChatCompletionRequest, "tool_choice" | "parallel_tool_calls"> {
  const parallel =
    "disable_parallel_tool_use" in choice && choice.disable_parallel_tool_use === true
      ? { parallel_tool_calls: false }
      : {};
  switch (choice.type) {
    case "auto":
      return { tool_choice: "auto", ...parallel };
    case "any":
      return { tool_choice: "required", ...parallel };
    case "tool":
      return { tool_choice: { type: "function", function: { name: choice.name } }, ...parallel };
    case "none":
      return { tool_choice: "none" };
  }
}

/**
 * thinking.budget_tokens -> reasoning_effort, the inverse of the Anthropic adapter's budgets (1024 / 4096 / 16384):
 * up to 1024 is low, up to 4096 medium, more is high. Disabled thinking sends no effort (the model's default).
 */
export function effortFor(thinking: MessagesRequest["thinking"]): ChatCompletionRequest["reasoning_effort"] {
  if (thinking?.type !== "enabled") return undefined;
  if (thinking.budget_tokens <= 1024) return "low";
  return thinking.budget_tokens <= 4096 ? "medium" : "high";
}

function conversation(body: MessagesRequest, problems: TranslationProblems): ChatMessage[] {
  const messages = systemMessage(body.system);
  body.messages.forEach((message, i) => {
    if (message.role === "user") messages.push(...userTurn(message, i, problems));
    else messages.push(assistantTurn(message, i, problems));
  });
  return messages;
}

/** Sampling, limits and the end user; stream always asks for usage (the Messages answer reports it). */
function options(body: MessagesRequest): Partial<ChatCompletionRequest> {
  const out: Partial<ChatCompletionRequest> = { max_tokens: body.max_tokens };
  if (body.temperature !== undefined) out.temperature = body.temperature;
  if (body.top_p !== undefined) out.top_p = body.top_p;
  if (body.stop_sequences && body.stop_sequences.length > 0) out.stop = body.stop_sequences;
  if (body.metadata?.user_id) out.user = body.metadata.user_id;
  const effort = effortFor(body.thinking);
  if (effort) out.reasoning_effort = effort;
  if (body.stream === true) Object.assign(out, { stream: true, stream_options: { include_usage: true } });
  return out;
}

export function messagesToChat(body: MessagesRequest): ChatTranslation {
  const problems = new TranslationProblems();
  const chat: ChatCompletionRequest = { model: body.model, messages: conversation(body, problems), ...options(body) };
  const tools = body.tools ? chatTools(body.tools, problems) : [];
  if (tools.length > 0) {
    chat.tools = tools;
    if (body.tool_choice) Object.assign(chat, chatToolChoice(body.tool_choice));
  }
  return { chat, problems };
}
