import type { ChatMessage, UserContentPart } from "../../schema/openai-request";
import { UnsupportedParameterError } from "../types";

/** Cohere v2 chat messages: the same four roles as OpenAI, with content as a string or typed parts. */
export type CohereContentPart = { type: "text"; text: string } | { type: "image_url"; image_url: { url: string } };

export interface CohereToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export type CohereMessage =
  | { role: "system"; content: string }
  | { role: "user"; content: string | CohereContentPart[] }
  | { role: "assistant"; content?: string; tool_plan?: string; tool_calls?: CohereToolCall[] }
  | { role: "tool"; tool_call_id: string; content: string };

type TextLike = string | ReadonlyArray<{ type: string; text?: string }> | null | undefined;

function joinText(content: TextLike): string {
  if (content == null) return "";
  if (typeof content === "string") return content;
  return content.map((part) => part.text ?? "").join("");
}

function userPart(part: UserContentPart, at: string): CohereContentPart {
  if (part.type === "text") return { type: "text", text: part.text };
  if (part.type === "image_url") return { type: "image_url", image_url: { url: part.image_url.url } };
  throw new UnsupportedParameterError(at, `cohere accepts text and image_url parts, not ${part.type}`);
}

/**
 * An assistant turn that called tools: Cohere keeps the text written before the calls as `tool_plan` (it has no
 * content beside tool calls), so the round trip of a tool conversation is lossless.
 */
function assistantMessage(message: Extract<ChatMessage, { role: "assistant" }>): CohereMessage {
  const { content } = message;
  const text =
    typeof content === "string"
      ? content
      : (content ?? []).map((part) => (part.type === "text" ? part.text : "")).join("");
  if (!message.tool_calls?.length) return { role: "assistant", content: text };
  const out: CohereMessage = {
    role: "assistant",
    tool_calls: message.tool_calls.map((call) => ({
      id: call.id,
      type: "function",
      function: { name: call.function.name, arguments: call.function.arguments },
    })),
  };
  if (text) out.tool_plan = text;
  return out;
}

export function toCohereMessages(messages: readonly ChatMessage[]): CohereMessage[] {
  return messages.map((message, i): CohereMessage => {
    switch (message.role) {
      case "system":
      case "developer":
        return { role: "system", content: joinText(message.content) };
      case "user":
        return {
          role: "user",
          content:
            typeof message.content === "string"
              ? message.content
              : message.content.map((part) => userPart(part, `messages[${i}].content`)),
        };
      case "assistant":
        return assistantMessage(message);
      case "tool":
        return { role: "tool", tool_call_id: message.tool_call_id, content: joinText(message.content) };
    }
  });
}
