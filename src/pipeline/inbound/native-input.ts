import { messagesToChat } from "../../../providers/inbound-anthropic/to-chat";
import type { TranslationProblems } from "../../../providers/inbound-anthropic/problems";
import { responsesToChat } from "../../../providers/inbound-responses/to-chat";
import type { InputItem } from "../../../schema/openai-responses";
import { messagesRequestSchema } from "../../../schema/anthropic-messages";
import { responsesRequestSchema } from "../../../schema/openai-responses";
import { badRequest } from "../../errors";
import { validateJsonBody } from "../../lib/body";
import { inputText } from "../guardrail-text";

/*
 * Input guardrails on the native paths. The hooks judge the chat translation's last user message; a native target
 * gets the client's own body, so a transformation (a redaction, a mutator) has to be put into that body too, in its
 * format. The native body is rewritten the way guardrail-text.ts rewrites a chat message (the judged text parts
 * become one text part at the first one's place, other parts kept), then translated to chat again: only when that
 * translation's judged text is exactly the transformed text is the rewrite used. Otherwise the attempt goes through
 * the chat translation, which carries the transformed text by construction.
 */

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The text the input hooks left for this attempt when they changed what the client sent; else null. */
export function transformedInput(sent: unknown, received: unknown): string | null {
  const after = inputText("chat", received);
  return after === inputText("chat", sent) ? null : after;
}

/** A content with its text parts of `textType` replaced by one part carrying `text`; null when it has none. */
function replacedContent(content: unknown, text: string, textType: string): unknown {
  if (typeof content === "string") return text;
  if (!Array.isArray(content)) return null;
  let placed = false;
  const out = content.flatMap((part: unknown) => {
    if (!isObject(part) || part.type !== textType) return [part];
    if (placed) return [];
    placed = true;
    return [{ ...part, text }];
  });
  return placed ? out : null;
}

/**
 * A textless turn's content with `text` as a new first part (as guardrail-text.ts does for chat, and Portkey's
 * addPrefix); null for a turn chat does not judge as a user message (Anthropic's tool results become tool messages,
 * and must come first in their turn anyway).
 */
function withTextFirst(content: unknown, text: string, textType: string): unknown[] | null {
  if (!Array.isArray(content) || content.length === 0) return null;
  if (content.some((part) => isObject(part) && part.type === "tool_result")) return null;
  return [{ type: textType, text }, ...content];
}

/**
 * The turns with the last user turn that has text carrying `text` instead; null when no user turn has text. With
 * `textless` (the judged text was empty, so nothing a redaction removed can be left behind in an earlier turn),
 * the last user turn gets the text as a new part when it has none (a mutator's prefix on an image).
 */
function withLastUserText(turns: readonly unknown[], text: string, textType: string, textless: boolean) {
  for (let i = turns.length - 1; i >= 0; i--) {
    const turn = turns[i];
    if (!isObject(turn) || turn.role !== "user" || (turn.type !== undefined && turn.type !== "message")) continue;
    const content =
      replacedContent(turn.content, text, textType) ?? (textless ? withTextFirst(turn.content, text, textType) : null);
    if (content !== null) return turns.map((other, j) => (j === i ? { ...turn, content } : other));
  }
  return null;
}

/** A Messages body carrying the transformed text natively, or null when that cannot be exact. */
export function messagesBodyWithInput(json: Json, text: string): Json | null {
  const judgedText = (body: Json) =>
    inputText("chat", messagesToChat(validateJsonBody(messagesRequestSchema, body)).chat);
  const turns = Array.isArray(json.messages) ? json.messages : [];
  const messages = withLastUserText(turns, text, "text", judgedText(json) === "");
  if (!messages) return null;
  const candidate = { ...json, messages };
  return judgedText(candidate) === text ? candidate : null;
}

/** A Responses body carrying the transformed text natively, or null when that cannot be exact. */
export function responsesBodyWithInput(json: Json, text: string, history: readonly InputItem[]): Json | null {
  const judgedText = (body: Json) =>
    inputText("chat", responsesToChat(validateJsonBody(responsesRequestSchema, body), history).chat);
  const items = Array.isArray(json.input) ? json.input : [];
  const input =
    typeof json.input === "string" ? text : withLastUserText(items, text, "input_text", judgedText(json) === "");
  if (input === null) return null;
  const candidate = { ...json, input };
  return judgedText(candidate) === text ? candidate : null;
}

/**
 * The attempt has to go through the chat translation (`why`), but the request holds something chat cannot carry:
 * a 400 naming it, rather than a native call that would skip the guardrails.
 */
export function refuseUntranslatable(problems: TranslationProblems, why: string): void {
  const first = problems.list[0];
  if (first) throw badRequest(`${first.param}: ${first.message}; ${why}`, first.param, "unsupported_parameter");
}
