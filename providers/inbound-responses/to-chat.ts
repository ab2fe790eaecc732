import type { ContentPart, InputItem, ResponsesRequest, ResponsesTool } from "../../schema/openai-responses";
import type {
  ChatCompletionRequest,
  ChatMessage,
  FunctionTool,
  ResponseFormat,
  UserContentPart,
} from "../../schema/openai-request";
import { TranslationProblems } from "../inbound-anthropic/problems";

/**
 * OpenAI Responses request -> the gateway's chat request, for every target but OpenAI (which gets the Responses
 * body natively). Pure. Like the Messages translation, it never throws: what chat cannot say (hosted tools,
 * uploaded file ids, item references) is recorded as a problem, and only a target that needs the translation
 * refuses the request with it. Reasoning items of earlier turns are dropped on purpose (chat has no place for
 * them, and providers other than OpenAI cannot read OpenAI's encrypted reasoning anyway).
 *
 * `history`: the items of the conversation before this request (previous_response_id, rebuilt from storage),
 * already in Responses item form; they are translated exactly like the request's own input.
 */
export interface ResponsesChatTranslation {
  chat: ChatCompletionRequest;
  problems: TranslationProblems;
}

type Item<T extends InputItem["type"]> = Extract<InputItem, { type: T }>;

function userPart(part: ContentPart, param: string, problems: TranslationProblems): UserContentPart | null {
  switch (part.type) {
    case "input_text":
    case "output_text":
      return { type: "text", text: part.text };
    case "refusal":
      return { type: "text", text: part.refusal };
    case "input_image":
      if (part.image_url) return { type: "image_url", image_url: { url: part.image_url } };
      return problems.add(
        `${param}.file_id`,
        "images uploaded to OpenAI's Files API (file_id) can only be read by OpenAI",
      );
    case "input_file": {
      const data = part.file_data ?? part.file_url;
      if (data) return { type: "file", file: { file_data: data, filename: part.filename ?? "document.pdf" } };
      return problems.add(
        `${param}.file_id`,
        "files uploaded to OpenAI's Files API (file_id) can only be read by OpenAI",
      );
    }
    case "unsupported":
      return problems.add(param, `"${part.originalType}" content parts can only be read by OpenAI`);
  }
}

/** The text of a content list (assistant turns, tool outputs): text parts joined, others recorded as problems. */
function textOf(content: string | ContentPart[], param: string, problems: TranslationProblems): string {
  if (typeof content === "string") return content;
  return content
    .flatMap((part, j) => {
      const converted = userPart(part, `${param}[${j}]`, problems);
      if (converted?.type === "text") return [converted.text];
      if (converted)
        problems.add(`${param}[${j}]`, "only text can be sent back in this position to providers other than OpenAI");
      return [];
    })
    .join("");
}

function messageOf(item: Item<"message">, param: string, problems: TranslationProblems): ChatMessage {
  const { role, content } = item;
  if (role === "assistant") return { role, content: textOf(content, `${param}.content`, problems) };
  if (role === "system" || role === "developer")
    return { role: "system", content: textOf(content, `${param}.content`, problems) };
  if (typeof content === "string") return { role, content };
  const parts = content.flatMap((part, j) => userPart(part, `${param}.content[${j}]`, problems) ?? []);
  return { role, content: parts };
}

/** A function_call joins the assistant message right before it (chat keeps calls on the assistant turn). */
function addCall(messages: ChatMessage[], item: Item<"function_call">): void {
  const call = {
    id: item.call_id,
    type: "function" as const,
    function: { name: item.name, arguments: item.arguments },
  };
  const last = messages.at(-1);
  if (last?.role === "assistant") {
    last.tool_calls = [...(last.tool_calls ?? []), call];
    if (last.content === "") last.content = null;
    return;
  }
  messages.push({ role: "assistant", content: null, tool_calls: [call] });
}

/** Responses items -> chat messages; `root` names the items in problems (`input`, or the stored history). */
export function itemsToMessages(
  items: readonly InputItem[],
  root: string,
  problems: TranslationProblems,
): ChatMessage[] {
  const messages: ChatMessage[] = [];
  items.forEach((item, i) => {
    const param = `${root}[${i}]`;
    switch (item.type) {
      case "message":
        messages.push(messageOf(item, param, problems));
        break;
      case "function_call":
        addCall(messages, item);
        break;
      case "function_call_output":
        messages.push({
          role: "tool",
          tool_call_id: item.call_id,
          content: textOf(item.output, `${param}.output`, problems),
        });
        break;
      case "reasoning":
        break;
      case "unsupported":
        problems.add(param, `"${item.originalType}" items can only be read by OpenAI`);
    }
  });
  return messages;
}

function chatTools(tools: readonly ResponsesTool[], problems: TranslationProblems): FunctionTool[] {
  return tools.flatMap((tool, i): FunctionTool[] => {
    if (tool.type === "unsupported")
      return (
        problems.add(
          `tools[${i}]`,
          `"${tool.originalType}" tools are run by OpenAI: only OpenAI targets can use them`,
        ) ?? []
      );
    const fn: FunctionTool["function"] = { name: tool.name };
    if (tool.description) fn.description = tool.description;
    if (tool.parameters) fn.parameters = tool.parameters;
    if (tool.strict != null) fn.strict = tool.strict;
    return [{ type: "function", function: fn }];
  });
}

function chatToolChoice(
  choice: ResponsesRequest["tool_choice"],
  problems: TranslationProblems,
): ChatCompletionRequest["tool_choice"] {
  if (choice === undefined || typeof choice === "string") return choice;
  if (choice.type === "function" && typeof choice.name === "string")
    return { type: "function", function: { name: choice.name } };
  return problems.add("tool_choice", `tool_choice "${choice.type}" can only be used with OpenAI targets`) ?? undefined;
}

function responseFormat(text: ResponsesRequest["text"]): ResponseFormat | undefined {
  const format = text?.format;
  if (format?.type === "json_object") return { type: "json_object" };
  if (format?.type !== "json_schema") return undefined;
  const { name, schema, description, strict } = format;
  return {
    type: "json_schema",
    json_schema: { name, schema, ...(description ? { description } : {}), ...(strict != null ? { strict } : {}) },
  };
}

/** reasoning.effort -> reasoning_effort: "none" asks for none (omitted), "xhigh" is the highest chat knows. */
function effortOf(request: ResponsesRequest): ChatCompletionRequest["reasoning_effort"] {
  const effort = request.reasoning?.effort;
  if (!effort || effort === "none") return undefined;
  return effort === "xhigh" ? "high" : effort;
}

function options(request: ResponsesRequest, problems: TranslationProblems): Partial<ChatCompletionRequest> {
  const out: Partial<ChatCompletionRequest> = {};
  if (request.max_output_tokens != null) out.max_tokens = request.max_output_tokens;
  if (request.temperature != null) out.temperature = request.temperature;
  if (request.top_p != null) out.top_p = request.top_p;
  const user = request.user ?? request.safety_identifier;
  if (user) out.user = user;
  const effort = effortOf(request);
  if (effort) out.reasoning_effort = effort;
  const format = responseFormat(request.text);
  if (format) out.response_format = format;
  const tools = request.tools ? chatTools(request.tools, problems) : [];
  if (tools.length > 0) {
    out.tools = tools;
    const choice = chatToolChoice(request.tool_choice, problems);
    if (choice !== undefined) out.tool_choice = choice;
    if (request.parallel_tool_calls != null) out.parallel_tool_calls = request.parallel_tool_calls;
  }
  if (request.stream === true) Object.assign(out, { stream: true, stream_options: { include_usage: true } });
  return out;
}

/** The request's own input as items: a string is one user message. */
export function inputItemsOf(request: ResponsesRequest): InputItem[] {
  const { input } = request;
  if (input === undefined) return [];
  return typeof input === "string" ? [{ type: "message", role: "user", content: input }] : input;
}

export function responsesToChat(
  request: ResponsesRequest,
  history: readonly InputItem[] = [],
): ResponsesChatTranslation {
  const problems = new TranslationProblems();
  const system: ChatMessage[] = request.instructions ? [{ role: "system", content: request.instructions }] : [];
  const messages = [
    ...system,
    ...itemsToMessages(history, "previous_response_id", problems),
    ...itemsToMessages(inputItemsOf(request), "input", problems),
  ];
  return { chat: { model: request.model, messages, ...options(request, problems) }, problems };
}
