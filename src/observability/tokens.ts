import { estimateTokens } from "../../schema/pricing";
import type { Usage } from "../../schema/openai-response";
import type { LogEvent } from "./event";

export type Tokens = LogEvent["tokens"];

const n = (value: number | undefined | null): number =>
  typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.round(value) : 0;

/** Tokens as the provider reported them (OpenAI semantics: prompt includes cache reads and writes). */
export function reportedTokens(usage: Usage): Tokens {
  const prompt = n(usage.prompt_tokens);
  const completion = n(usage.completion_tokens);
  return {
    prompt,
    completion,
    cached_read: n(usage.prompt_tokens_details?.cached_tokens),
    cache_write: n(usage.cache_creation_input_tokens),
    reasoning: n(usage.completion_tokens_details?.reasoning_tokens),
    total: prompt + completion,
    estimated: false,
  };
}

export const NO_TOKENS: Tokens = {
  prompt: 0,
  completion: 0,
  cached_read: 0,
  cache_write: 0,
  reasoning: 0,
  total: 0,
  estimated: false,
};

function textsOfContent(content: unknown, out: string[]): void {
  if (typeof content === "string") out.push(content);
  else if (Array.isArray(content)) {
    for (const part of content) {
      if (typeof part === "string") out.push(part);
      else if (typeof part === "object" && part !== null && "text" in part && typeof part.text === "string")
        out.push(part.text);
    }
  }
}

/**
 * The prompt's text as the provider would bill it, roughly: chat message contents (and tool-call arguments), a
 * completions prompt, or an embeddings input. Token-id arrays count one token per id.
 */
export function promptText(body: unknown): { text: string; tokenIds: number } {
  const texts: string[] = [];
  let tokenIds = 0;
  if (typeof body !== "object" || body === null) return { text: "", tokenIds };
  if ("messages" in body && Array.isArray(body.messages)) {
    for (const message of body.messages) {
      if (typeof message !== "object" || message === null) continue;
      if ("content" in message) textsOfContent(message.content, texts);
      if ("tool_calls" in message && Array.isArray(message.tool_calls)) {
        for (const call of message.tool_calls) {
          const args: unknown =
            typeof call === "object" && call !== null && "function" in call ? call.function : undefined;
          if (typeof args === "object" && args !== null && "arguments" in args && typeof args.arguments === "string")
            texts.push(args.arguments);
        }
      }
    }
  }
  for (const field of ["prompt", "input"] as const) {
    const value: unknown = field in body ? (body as Record<string, unknown>)[field] : undefined;
    if (typeof value === "string") texts.push(value);
    else if (Array.isArray(value)) {
      for (const item of value) {
        if (typeof item === "string") texts.push(item);
        else if (typeof item === "number") tokenIds++;
        else if (Array.isArray(item)) tokenIds += item.length;
      }
    }
  }
  return { text: texts.join("\n"), tokenIds };
}

/**
 * Estimates for an answer that carried no usage (a provider that ignores include_usage, a stream cut before its
 * usage chunk, a client that hung up): schema/pricing estimateTokens over the prompt and the streamed text.
 */
export function estimatedTokens(requestBody: unknown, answerText: string | undefined): Tokens {
  const { text, tokenIds } = promptText(requestBody);
  const prompt = estimateTokens(text) + tokenIds;
  const completion = answerText ? estimateTokens(answerText) : 0;
  return { ...NO_TOKENS, prompt, completion, total: prompt + completion, estimated: true };
}
