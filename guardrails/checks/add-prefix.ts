import * as z from "zod";
import type { CheckDefinition } from "../types";
import { failOnError } from "./common";

const parameters = z.strictObject({
  prefix: z.string().min(1).max(4096),
  /**
   * Portkey can also add to (or create) a system or assistant message; hooks here transform the judged text (the
   * last user message or the prompt) only, so "user" is the one role accepted for now.
   */
  applyToRole: z.literal("user", { error: 'only "user" is supported' }).default("user"),
  failOnError,
});

/** A mutator: prepends `prefix` to the user's text before the provider sees it. Always passes. */
export const addPrefix: CheckDefinition<typeof parameters> = {
  id: "default.addPrefix",
  parameters,
  phases: ["input"],
  run(context, p) {
    return {
      verdict: true,
      data: { prefixLength: p.prefix.length, applyToRole: p.applyToRole },
      transformedText: p.prefix + context.text,
    };
  },
};
