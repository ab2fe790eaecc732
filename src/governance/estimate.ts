import { estimateTokens } from "../../schema/pricing";
import type { OperationName } from "../routing/request";

/**
 * Token estimates for admission, before the provider has said anything (pure). They feed the tpm check and the
 * budget reservation, and err high: a reservation that undershoots is the only way a budget can be overspent.
 *
 * - Prompt: every text the model reads (messages, names, tool calls and definitions, the response schema), plus
 *   OpenAI's framing of 4 tokens per message and 3 per request. Images, audio and files count MEDIA_PART_TOKENS
 *   each, whatever their size (their real count depends on the provider and resolution). Two counts of the text:
 *   `promptTokens` estimates (estimateTokens: ~4 ASCII characters per token), for rate limits, as providers' own
 *   limiters do; `promptTokensBound` bounds (one token per UTF-8 byte: byte-level BPE tokenizers never put less
 *   than a byte in a token), for budget reservations, which must never undershoot.
 * - Output: max_completion_tokens / max_tokens (times n, or best_of for completions); without one,
 *   DEFAULT_OUTPUT_TOKENS for chat, OpenAI's default of 16 for legacy completions, 0 for embeddings.
 */
export const DEFAULT_OUTPUT_TOKENS = 4_096;
export const MEDIA_PART_TOKENS = 2_000;
export const COMPLETIONS_DEFAULT_MAX_TOKENS = 16;
const TOKENS_PER_MESSAGE = 4;
const TOKENS_PER_REQUEST = 3;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const positive = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.ceil(value) : undefined;
/** Tokens in a text: an estimate or an upper bound. */
type Count = (text: string) => number;

const utf8 = new TextEncoder();
/** One token per UTF-8 byte at most (a string has at most 3 bytes per UTF-16 unit, so no encoding is needed below 1/3). */
const utf8Bytes: Count = (text) => {
  let ascii = true;
  for (let i = 0; i < text.length && ascii; i++) ascii = text.charCodeAt(i) < 0x80;
  return ascii ? text.length : utf8.encode(text).byteLength;
};

function prompt(count: Count) {
  const textTokens = (value: unknown): number => (typeof value === "string" ? count(value) : 0);
  const jsonTokens = (value: unknown): number =>
    value === undefined || value === null ? 0 : count(JSON.stringify(value));
  const contentTokens = (content: unknown): number => {
    if (typeof content === "string") return count(content);
    if (!Array.isArray(content)) return 0;
    let tokens = 0;
    for (const part of content) {
      if (!isObject(part)) continue;
      if (part.type === "text") tokens += textTokens(part.text);
      else if (part.type === "refusal") tokens += textTokens(part.refusal);
      else tokens += MEDIA_PART_TOKENS;
    }
    return tokens;
  };
  const chat = (body: Json): number => {
    let tokens = TOKENS_PER_REQUEST + jsonTokens(body.tools) + jsonTokens(body.response_format);
    for (const message of Array.isArray(body.messages) ? body.messages : []) {
      if (!isObject(message)) continue;
      tokens +=
        TOKENS_PER_MESSAGE + contentTokens(message.content) + textTokens(message.name) + jsonTokens(message.tool_calls);
    }
    return tokens;
  };
  /** A prompt or an embeddings input: text, texts, or token arrays (counted exactly). */
  const input = (value: unknown): number => {
    if (typeof value === "string") return count(value);
    if (!Array.isArray(value)) return 0;
    return value.reduce<number>((sum, item) => sum + (typeof item === "number" ? 1 : input(item)), 0);
  };
  return (operation: OperationName, body: unknown): number => {
    if (!isObject(body)) return 0;
    switch (operation) {
      case "chat":
        return chat(body);
      case "completions":
        return input(body.prompt);
      case "embeddings":
        return input(body.input);
    }
  };
}

/** Estimated prompt tokens (rate limits). */
export const promptTokens = prompt(estimateTokens);
/** At least the real prompt tokens, media aside (budget reservations). */
export const promptTokensBound = prompt(utf8Bytes);

/** Whether the request says how long the answer may be (else the output allowance is DEFAULT_OUTPUT_TOKENS). */
export function hasOutputLimit(operation: OperationName, body: unknown): boolean {
  if (operation !== "chat" || !isObject(body)) return true;
  return positive(body.max_completion_tokens) !== undefined || positive(body.max_tokens) !== undefined;
}

export function outputTokens(operation: OperationName, body: unknown): number {
  if (!isObject(body)) return 0;
  switch (operation) {
    case "chat": {
      const max = positive(body.max_completion_tokens) ?? positive(body.max_tokens) ?? DEFAULT_OUTPUT_TOKENS;
      return max * (positive(body.n) ?? 1);
    }
    case "completions": {
      const max = positive(body.max_tokens) ?? COMPLETIONS_DEFAULT_MAX_TOKENS;
      return max * Math.max(positive(body.n) ?? 1, positive(body.best_of) ?? 1);
    }
    case "embeddings":
      return 0;
  }
}
