import type { ModerationCategory } from "../types";

/**
 * Llama Guard 3 output text -> our category scores. The model answers `safe`, or `unsafe` and a line of violated
 * hazard codes (`unsafe\nS1,S10`) from the MLCommons taxonomy. It gives no probabilities, so a named category
 * scores 1 and every other category it can judge scores 0. Its taxonomy has no harassment or prompt-injection
 * hazard: those categories are left out (Prompt Guard would be the model for injection).
 */
const HAZARDS: Readonly<Record<string, ModerationCategory>> = {
  S1: "violence", // violent crimes
  S3: "sexual", // sex-related crimes
  S4: "sexual", // child sexual exploitation
  S9: "violence", // indiscriminate weapons
  S10: "hate",
  S11: "self-harm", // suicide and self-harm
  S12: "sexual", // sexual content
};
const JUDGED: readonly ModerationCategory[] = ["hate", "violence", "self-harm", "sexual"];

export function scoresFromLlamaGuard(output: string): Partial<Record<ModerationCategory, number>> {
  const [verdict = "", codes = ""] = output.trim().split(/\s*\n\s*/);
  const scores: Partial<Record<ModerationCategory, number>> = Object.fromEntries(
    JUDGED.map((category) => [category, 0]),
  );
  if (verdict.toLowerCase() === "safe") return scores;
  if (verdict.toLowerCase() !== "unsafe") throw new Error("Llama Guard answered neither safe nor unsafe");
  for (const code of codes.split(",")) {
    const category = HAZARDS[code.trim().toUpperCase()];
    if (category) scores[category] = 1;
  }
  return scores;
}
