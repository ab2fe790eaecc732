import * as z from "zod";
import type { CheckDefinition, ModerationCategory } from "../types";
import { failOnError, invert, not, requireText } from "./common";

export const MODERATION_CATEGORIES = [
  "hate",
  "harassment",
  "violence",
  "self-harm",
  "sexual",
  "prompt_injection",
] as const satisfies readonly ModerationCategory[];

const parameters = z.strictObject({
  categories: z
    .array(z.enum(MODERATION_CATEGORIES))
    .min(1)
    .default([...MODERATION_CATEGORIES]),
  /** A category is flagged when its score reaches this (0..1). */
  threshold: z.number().min(0).max(1).default(0.5),
  /**
   * A virtual key (slug) of an OpenAI-compatible provider whose `/moderations` endpoint classifies the text; without
   * it the `AI` binding (Llama Guard) does. One of the two must be available (a 400 at config time otherwise).
   */
  virtual_key: z.string().min(1).max(128).optional(),
  /** The moderation model of that provider (default `omni-moderation-latest`). */
  model: z.string().min(1).max(128).optional(),
  not,
  failOnError,
});

/**
 * The integrator checks this at config time: a hook using `default.moderation` on a gateway without a configured
 * classifier is a 400, never a silent pass.
 */
export const requiresClassifier = true;

/**
 * `default.moderation`: classification against content categories by the classifier the operator configured
 * (`CheckContext.classify`: Llama Guard on Workers AI, or a provider's moderation endpoint through the gateway). Fails
 * when any chosen category scores at or above `threshold`; `data` carries the scores and the flagged categories.
 */
export const moderationCheck: CheckDefinition<typeof parameters> & { requiresClassifier: true } = {
  id: "default.moderation",
  parameters,
  phases: ["input", "output"],
  requiresClassifier,
  async run(context, p) {
    const text = requireText(context);
    if (!context.classify) throw new Error("no moderation classifier is configured");
    const scores = await context.classify(text, p.categories, { virtualKey: p.virtual_key, model: p.model });
    const chosen = Object.fromEntries(p.categories.map((category) => [category, scores[category] ?? 0]));
    const flagged = p.categories.filter((category) => (scores[category] ?? 0) >= p.threshold);
    return { verdict: invert(flagged.length === 0, p.not), data: { flagged, scores: chosen, threshold: p.threshold } };
  },
};
