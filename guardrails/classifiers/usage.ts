/**
 * The tokens a classifier call used, read from its answer: OpenAI-style `usage` (`/moderations` of providers that
 * report it, `/chat/completions`, and Workers AI text generation, which uses the same field names). Null when the
 * answer says nothing, so the caller estimates from the text instead of logging a free call.
 */
export interface ClassifierTokens {
  promptTokens: number;
  completionTokens: number;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const count = (value: unknown): number | null =>
  typeof value === "number" && Number.isFinite(value) && value >= 0 ? Math.round(value) : null;

export function classifierTokensOf(answer: unknown): ClassifierTokens | null {
  if (!isRecord(answer) || !isRecord(answer.usage)) return null;
  const prompt = count(answer.usage.prompt_tokens) ?? count(answer.usage.input_tokens);
  if (prompt === null) return null;
  // A moderation answer reports only prompt and total tokens: nothing was generated.
  const completion = count(answer.usage.completion_tokens) ?? count(answer.usage.output_tokens) ?? 0;
  return { promptTokens: prompt, completionTokens: completion };
}

/** The answer text of an OpenAI-style chat completion (a Llama Guard model served behind a provider's chat API). */
export function chatAnswerText(answer: unknown): string {
  const choice = isRecord(answer) && Array.isArray(answer.choices) ? (answer.choices[0] as unknown) : undefined;
  const message = isRecord(choice) ? choice.message : undefined;
  if (isRecord(message) && typeof message.content === "string") return message.content;
  throw new Error("classifier chat answer has no message content");
}
