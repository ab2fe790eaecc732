import * as z from "zod";

/**
 * Workers AI text-generation and embedding shapes (developers.cloudflare.com/workers-ai/models/). The `AI`
 * binding returns the result object itself; the REST API (`/ai/run/{model}`) wraps the same object as
 * `{"result": ..., "success": true, "errors": [], "messages": []}`. Both are read by the same schemas.
 */

/** Older function-calling models answer `{name, arguments: {...}}`; newer ones OpenAI's `{id, type, function}`. */
const toolCallSchema = z.union([
  z.looseObject({
    id: z.string().optional(),
    function: z.looseObject({ name: z.string(), arguments: z.unknown().optional() }),
  }),
  z.looseObject({ id: z.string().optional(), name: z.string(), arguments: z.unknown().optional() }),
]);

export const usageSchema = z.looseObject({
  prompt_tokens: z.number().optional(),
  completion_tokens: z.number().optional(),
  total_tokens: z.number().optional(),
});

export const textResultSchema = z.looseObject({
  response: z.string().nullish(),
  tool_calls: z.array(toolCallSchema).nullish(),
  usage: usageSchema.nullish(),
});

/** One `data:` payload of a stream: `{"response": "...", "p": "..."}`, the last one with `usage`. */
export const streamPayloadSchema = textResultSchema;

export const embeddingResultSchema = z.looseObject({
  shape: z.array(z.number()).optional(),
  data: z.array(z.array(z.number())),
});

export const restEnvelopeSchema = z.looseObject({ result: z.unknown() });

export const restErrorSchema = z.looseObject({
  errors: z.array(z.looseObject({ message: z.string(), code: z.union([z.number(), z.string()]).optional() })),
});

export type WorkersAiToolCall = z.infer<typeof toolCallSchema>;
export type WorkersAiUsage = z.infer<typeof usageSchema>;

/** The REST API's `result`, or the binding's bare object. */
export function unwrapResult(json: unknown): unknown {
  const envelope = restEnvelopeSchema.safeParse(json);
  return envelope.success && envelope.data.result !== undefined ? envelope.data.result : json;
}
