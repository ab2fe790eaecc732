import * as z from "zod";
import { scoreInjection } from "../injection/score";
import type { CheckDefinition } from "../types";
import { failOnError, requireText } from "./common";

const parameters = z.strictObject({
  /** The score from which text is judged an injection attempt (0..1). */
  threshold: z.number().min(0).max(1).default(0.5),
  failOnError,
});

/**
 * `default.promptInjection`: a local, model-free heuristic (guardrails/injection/*) for common injection and jailbreak
 * phrasings. Fails when the score reaches `threshold`. Evidence only accumulates as text grows, so a streamed prefix
 * that already reaches the threshold is a certain deny; below it the prefix passes for now.
 */
export const promptInjectionCheck: CheckDefinition<typeof parameters> = {
  id: "default.promptInjection",
  parameters,
  phases: ["input", "output"],
  streamable: true,
  run(context, p) {
    const { score, signals } = scoreInjection(requireText(context));
    return { verdict: score < p.threshold, data: { score, threshold: p.threshold, signals } };
  },
};
