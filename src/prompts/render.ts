import type { PromptMessage, PromptVariable } from "../../schema/prompts";
import { badRequest } from "../errors";
import { parseTemplate, renderTemplate, templateVariables } from "./template";

/** The Mustache texts of a message list: string contents and the text of `text` parts. */
export function messageTexts(messages: readonly PromptMessage[]): string[] {
  const texts: string[] = [];
  for (const message of messages) {
    if (typeof message.content === "string") texts.push(message.content);
    else if (Array.isArray(message.content))
      for (const part of message.content) if (typeof part.text === "string") texts.push(part.text);
  }
  return texts;
}

/** A partial's text: the text of its messages (usually one), one paragraph each. */
export const partialText = (messages: readonly PromptMessage[]): string => messageTexts(messages).join("\n\n");

/** The variables of a version that declared none: what its texts use (see templateVariables for `required`). */
export function deriveVariables(messages: readonly PromptMessage[]): PromptVariable[] {
  const merged = new Map<string, boolean>();
  messageTexts(messages).forEach((text, i) => {
    for (const variable of templateVariables(parseTemplate(text, `messages[${i}]`))) {
      merged.set(variable.name, (merged.get(variable.name) ?? false) || variable.required);
    }
  });
  return [...merged].map(([name, required]) => ({ name, required }));
}

/** The render's view: the request's values over the defaults; a required variable with neither is a 400 naming it. */
export function variableView(
  declared: readonly PromptVariable[],
  given: Record<string, unknown>,
): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  for (const variable of declared) if (variable.default !== undefined) view[variable.name] = variable.default;
  Object.assign(view, given);
  for (const variable of declared) {
    if (variable.required === true && (view[variable.name] === undefined || view[variable.name] === null)) {
      throw badRequest(`variables.${variable.name}: required`, `variables.${variable.name}`, "missing_variable");
    }
  }
  return view;
}

function renderMessage(
  message: PromptMessage,
  view: Record<string, unknown>,
  partials: Record<string, string>,
): PromptMessage {
  const { content } = message;
  if (typeof content === "string") return { ...message, content: renderTemplate(content, view, partials) };
  if (!Array.isArray(content)) return { ...message };
  const parts = content.map((part) =>
    typeof part.text === "string" ? { ...part, text: renderTemplate(part.text, view, partials) } : { ...part },
  );
  return { ...message, content: parts };
}

/** The chat messages of a version with its variables filled in (fresh objects: the version itself is shared). */
export function renderMessages(
  messages: readonly PromptMessage[],
  view: Record<string, unknown>,
  partials: Record<string, string>,
): PromptMessage[] {
  return messages.map((message) => renderMessage(message, view, partials));
}
