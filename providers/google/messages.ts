import type { ChatMessage, ToolCall } from "../../schema/openai-request";
import { UnsupportedParameterError } from "../types";
import { userPartToGemini } from "./media";
import type { GeminiContent, GeminiRequestPart, JsonObject } from "./wire-request";

/**
 * OpenAI messages -> Gemini `contents` + `systemInstruction`.
 *
 * - system / developer messages (wherever they appear) become `systemInstruction` parts, in order;
 * - user -> role "user", assistant -> role "model"; consecutive turns of the same role are merged, as Gemini
 *   expects strictly alternating turns;
 * - assistant tool_calls -> `functionCall` parts; tool messages -> `functionResponse` parts in a user turn, named
 *   after the assistant tool call they answer (Gemini matches results by name, not id), so parallel results land in
 *   one turn;
 * - empty text is skipped (Gemini rejects empty text parts) and a turn left without parts is dropped;
 * - `name` on messages has no Gemini equivalent and is dropped.
 */

/**
 * Gemini 3 rejects a replayed function call without its thought signature. Clients that echo the assistant message
 * back keep `extra_content.google.thought_signature` (Google's own OpenAI-compatible convention, which our responses
 * follow); for history without one (another provider's turns, a hand-built transcript) Google documents this
 * placeholder, which skips the validation.
 */
export const SKIP_THOUGHT_SIGNATURE = "skip_thought_signature_validator";

type SystemText = { text: string };
type Role = GeminiContent["role"];

function textOf(content: string | { text: string }[]): string {
  return typeof content === "string" ? content : content.map((part) => part.text).join("");
}

function thoughtSignatureOf(call: ToolCall): string | undefined {
  const extra = call.extra_content;
  if (typeof extra !== "object" || extra === null || !("google" in extra)) return undefined;
  const google = extra.google;
  if (typeof google !== "object" || google === null || !("thought_signature" in google)) return undefined;
  return typeof google.thought_signature === "string" ? google.thought_signature : undefined;
}

function parseArguments(call: ToolCall, param: string): JsonObject {
  const text = call.function.arguments.trim();
  if (text === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UnsupportedParameterError(param, "tool call arguments must be valid JSON for google");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new UnsupportedParameterError(param, "tool call arguments must be a JSON object for google");
  }
  return parsed as JsonObject;
}

function functionCallParts(calls: ToolCall[], index: number): GeminiRequestPart[] {
  const parts = calls.map((call, k): GeminiRequestPart => {
    const args = parseArguments(call, `messages[${index}].tool_calls[${k}].function.arguments`);
    const signature = thoughtSignatureOf(call);
    return signature === undefined
      ? { functionCall: { name: call.function.name, args } }
      : { functionCall: { name: call.function.name, args }, thoughtSignature: signature };
  });
  const first = parts[0];
  if (first && "functionCall" in first && !parts.some((part) => "thoughtSignature" in part)) {
    first.thoughtSignature = SKIP_THOUGHT_SIGNATURE;
  }
  return parts;
}

function toolResponse(text: string): JsonObject {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) return parsed as JsonObject;
  } catch {
    // Not JSON: wrap the text below.
  }
  return { content: text };
}

function assistantParts(message: Extract<ChatMessage, { role: "assistant" }>, index: number): GeminiRequestPart[] {
  const parts: GeminiRequestPart[] = [];
  const content = message.content;
  if (typeof content === "string") {
    if (content !== "") parts.push({ text: content });
  } else if (content) {
    for (const part of content) {
      const text = part.type === "text" ? part.text : part.refusal;
      if (text !== "") parts.push({ text });
    }
  }
  if (message.tool_calls?.length) parts.push(...functionCallParts(message.tool_calls, index));
  return parts;
}

function userParts(message: Extract<ChatMessage, { role: "user" }>, index: number): GeminiRequestPart[] {
  if (typeof message.content === "string") return message.content === "" ? [] : [{ text: message.content }];
  const parts: GeminiRequestPart[] = [];
  message.content.forEach((part, j) => {
    const converted = userPartToGemini(part, `messages[${index}].content[${j}]`);
    if (converted) parts.push(converted);
  });
  return parts;
}

export interface ConvertedMessages {
  contents: GeminiContent[];
  system: SystemText[];
}

export function convertMessages(messages: ChatMessage[]): ConvertedMessages {
  const contents: GeminiContent[] = [];
  const system: SystemText[] = [];
  const toolNames = new Map<string, string>();
  const push = (role: Role, parts: GeminiRequestPart[]) => {
    if (parts.length === 0) return;
    const last = contents[contents.length - 1];
    if (last && last.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  };

  messages.forEach((message, index) => {
    switch (message.role) {
      case "system":
      case "developer": {
        const text = textOf(message.content);
        if (text !== "") system.push({ text });
        return;
      }
      case "user":
        return push("user", userParts(message, index));
      case "assistant":
        for (const call of message.tool_calls ?? []) toolNames.set(call.id, call.function.name);
        return push("model", assistantParts(message, index));
      case "tool": {
        const name = toolNames.get(message.tool_call_id);
        if (name === undefined) {
          throw new UnsupportedParameterError(
            `messages[${index}].tool_call_id`,
            `no earlier assistant tool call has id "${message.tool_call_id}" (google needs the function name)`,
          );
        }
        return push("user", [{ functionResponse: { name, response: toolResponse(textOf(message.content)) } }]);
      }
    }
  });
  return { contents, system };
}
