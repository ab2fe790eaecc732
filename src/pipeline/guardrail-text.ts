import type { OperationName } from "../routing/request";
import { mapNativeText, nativeOutputText, withNativeOutputText } from "./guardrail-native-text";
import { restoreArguments } from "./guardrail-tool-arguments";

/*
 * Where the text a guardrail judges lives in each wire format, and how a transformation (redaction, a mutator)
 * is put back. Input: the last user message of a chat request, a completion's prompt, an embedding's input.
 * Output: the first choice's message content (chat) or text (completions), or a native front door's answer text
 * (guardrail-native-text.ts). Nothing here copies a body that is not
 * transformed: a request without a transformation goes to the provider as the client sent it.
 */

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function lastUserMessage(json: Json): Json | undefined {
  const messages = Array.isArray(json.messages) ? json.messages : [];
  for (let i = messages.length - 1; i >= 0; i--) {
    const message: unknown = messages[i];
    if (isObject(message) && message.role === "user") return message;
  }
  return undefined;
}

/** A message content's text: the string, or its text parts joined by newlines. */
function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .flatMap((part: unknown) =>
      isObject(part) && part.type === "text" && typeof part.text === "string" ? [part.text] : [],
    )
    .join("\n");
}

/** The text input hooks judge. */
export function inputText(operation: OperationName, json: unknown): string {
  if (!isObject(json)) return "";
  if (operation === "chat") return contentText(lastUserMessage(json)?.content);
  const field = operation === "completions" ? json.prompt : json.input;
  if (typeof field === "string") return field;
  return Array.isArray(field) && field.every((item) => typeof item === "string") ? field.join("\n") : "";
}

/**
 * New content with the text parts replaced by one text part (at the first one's place), other parts kept. A content
 * without text parts (only an image) gets the text as a new first part, as Portkey's addPrefix does: a mutator's
 * text must reach the provider, never be dropped silently.
 */
export function withContentText(content: unknown, text: string): unknown {
  if (!Array.isArray(content)) return text;
  let placed = false;
  const parts = content.flatMap((part: unknown) => {
    if (!isObject(part) || part.type !== "text") return [part];
    if (placed) return [];
    placed = true;
    return [{ ...part, text }];
  });
  return placed || text === "" ? parts : [{ type: "text", text }, ...parts];
}

/** A copy of the request with the judged text replaced (the client's object is never mutated: logs read it). */
export function withInputText(operation: OperationName, json: unknown, text: string): unknown {
  if (!isObject(json)) return json;
  if (operation === "chat") {
    const target = lastUserMessage(json);
    const messages = Array.isArray(json.messages) ? json.messages : [];
    return {
      ...json,
      messages: messages.map((m: unknown) =>
        m === target && target ? { ...target, content: withContentText(target.content, text) } : m,
      ),
    };
  }
  const field = operation === "completions" ? "prompt" : "input";
  return { ...json, [field]: Array.isArray(json[field]) ? [text] : text };
}

/** The text output hooks judge: the first choice's message content (chat) or text (completions). */
export function outputText(json: unknown): string {
  if (!isObject(json)) return "";
  if (!Array.isArray(json.choices)) return nativeOutputText(json) ?? "";
  const first: unknown = json.choices[0];
  if (!isObject(first)) return "";
  if (isObject(first.message)) return contentText(first.message.content);
  return typeof first.text === "string" ? first.text : "";
}

/**
 * A copy of the answer with the judged text (the first choice's content or text) replaced: an output redaction.
 * Text parts of an array content become one text part, as for the input.
 */
export function withOutputText(json: Json, text: string): Json {
  if (!Array.isArray(json.choices)) return withNativeOutputText(json, text) ?? json;
  const [first, ...rest] = json.choices as unknown[];
  if (!isObject(first)) return json;
  const choice = isObject(first.message)
    ? { ...first, message: { ...first.message, content: withContentText(first.message.content, text) } }
    : { ...first, text };
  return { ...json, choices: [choice, ...rest] };
}

/** Every occurrence of each placeholder replaced by its original. */
export function restoreText(text: string, restore: ReadonlyMap<string, string>): string {
  let out = text;
  for (const [placeholder, original] of restore) out = out.split(placeholder).join(original);
  return out;
}

/** A chat message with placeholders restored in its content and in its tool calls' arguments (kept valid JSON). */
function restoreMessage(message: Json, restore: ReadonlyMap<string, string>): Json {
  const content = typeof message.content === "string" ? restoreText(message.content, restore) : message.content;
  if (!Array.isArray(message.tool_calls)) return { ...message, content };
  const toolCalls = message.tool_calls.map((call: unknown) =>
    isObject(call) && isObject(call.function) && typeof call.function.arguments === "string"
      ? { ...call, function: { ...call.function, arguments: restoreArguments(call.function.arguments, restore) } }
      : call,
  );
  return { ...message, content, tool_calls: toolCalls };
}

/** The answer with placeholders restored in every choice's content or text (JSON answers). */
export function restoreAnswer(json: Json, restore: ReadonlyMap<string, string>): Json {
  if (restore.size === 0) return json;
  if (!Array.isArray(json.choices)) return mapNativeText(json, (text) => restoreText(text, restore)) ?? json;
  const choices = json.choices.map((choice: unknown) => {
    if (!isObject(choice)) return choice;
    if (isObject(choice.message)) return { ...choice, message: restoreMessage(choice.message, restore) };
    return typeof choice.text === "string" ? { ...choice, text: restoreText(choice.text, restore) } : choice;
  });
  return { ...json, choices };
}
