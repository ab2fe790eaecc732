import type { ModerationCategory } from "../types";

/**
 * OpenAI-style `/v1/moderations` answer -> our category scores. Each of our categories takes the highest score of
 * the provider's category and its sub-categories (`violence` and `violence/graphic`); with several results (an array
 * input) the highest over all of them. `prompt_injection` has no counterpart there and is left out.
 */
const PROVIDER_CATEGORIES: Readonly<Record<Exclude<ModerationCategory, "prompt_injection">, readonly string[]>> = {
  hate: ["hate", "hate/threatening"],
  harassment: ["harassment", "harassment/threatening"],
  violence: ["violence", "violence/graphic", "illicit/violent"],
  "self-harm": ["self-harm", "self-harm/intent", "self-harm/instructions"],
  sexual: ["sexual", "sexual/minors"],
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function categoryScores(body: unknown): Record<string, unknown>[] {
  if (!isRecord(body) || !Array.isArray(body.results) || body.results.length === 0) {
    throw new Error("moderation answer has no results");
  }
  return body.results.map((result) => {
    if (!isRecord(result) || !isRecord(result.category_scores))
      throw new Error("moderation result has no category_scores");
    return result.category_scores;
  });
}

export function scoresFromOpenAiModeration(body: unknown): Partial<Record<ModerationCategory, number>> {
  const results = categoryScores(body);
  const scores: Partial<Record<ModerationCategory, number>> = {};
  for (const [category, names] of Object.entries(PROVIDER_CATEGORIES) as [ModerationCategory, readonly string[]][]) {
    const values = results.flatMap((result) =>
      names.map((name) => result[name]).filter((v): v is number => typeof v === "number"),
    );
    if (values.length > 0) scores[category] = Math.max(...values);
  }
  return scores;
}
