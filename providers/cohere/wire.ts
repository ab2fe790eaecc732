import * as z from "zod";

/**
 * Cohere v2 wire shapes (docs.cohere.com/reference/chat, /chat-stream, /embed), as zod schemas of what we read.
 * Objects are loose: Cohere adds fields (logprobs, citations' sources...) and they must not break parsing.
 */

const toolCallSchema = z.looseObject({
  id: z.string(),
  type: z.literal("function").optional(),
  function: z.looseObject({ name: z.string(), arguments: z.string().optional() }),
});

const textContentSchema = z.looseObject({ type: z.string(), text: z.string().optional() });

const tokenCountsSchema = z.looseObject({
  input_tokens: z.number().optional(),
  output_tokens: z.number().optional(),
});

export const usageSchema = z.looseObject({
  billed_units: tokenCountsSchema.optional(),
  tokens: tokenCountsSchema.optional(),
});

export const chatResponseSchema = z.looseObject({
  id: z.string(),
  finish_reason: z.string().nullish(),
  message: z.looseObject({
    role: z.literal("assistant").optional(),
    content: z.array(textContentSchema).nullish(),
    tool_plan: z.string().nullish(),
    tool_calls: z.array(toolCallSchema).nullish(),
    citations: z.array(z.unknown()).nullish(),
  }),
  usage: usageSchema.nullish(),
});

const indexed = { index: z.number().int().nonnegative().optional() };

/** One stream event, discriminated on `type` (the SSE `event:` line repeats it). */
export const streamEventSchema = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("message-start"), id: z.string().optional() }),
  z.looseObject({ type: z.literal("content-start"), ...indexed }),
  z.looseObject({
    type: z.literal("content-delta"),
    ...indexed,
    delta: z.looseObject({ message: z.looseObject({ content: z.looseObject({ text: z.string().optional() }) }) }),
  }),
  z.looseObject({ type: z.literal("content-end"), ...indexed }),
  z.looseObject({
    type: z.literal("tool-plan-delta"),
    delta: z.looseObject({ message: z.looseObject({ tool_plan: z.string().optional() }) }),
  }),
  z.looseObject({
    type: z.literal("tool-call-start"),
    ...indexed,
    delta: z.looseObject({ message: z.looseObject({ tool_calls: toolCallSchema }) }),
  }),
  z.looseObject({
    type: z.literal("tool-call-delta"),
    ...indexed,
    delta: z.looseObject({
      message: z.looseObject({
        tool_calls: z.looseObject({ function: z.looseObject({ arguments: z.string().optional() }) }),
      }),
    }),
  }),
  z.looseObject({ type: z.literal("tool-call-end"), ...indexed }),
  z.looseObject({ type: z.literal("citation-start") }),
  z.looseObject({ type: z.literal("citation-end") }),
  z.looseObject({ type: z.literal("debug") }),
  z.looseObject({
    type: z.literal("message-end"),
    delta: z
      .looseObject({ finish_reason: z.string().nullish(), usage: usageSchema.nullish(), error: z.string().nullish() })
      .optional(),
  }),
]);

export type CohereStreamEvent = z.infer<typeof streamEventSchema>;
export type CohereUsage = z.infer<typeof usageSchema>;
export type CohereChatResponse = z.infer<typeof chatResponseSchema>;

export const STREAM_EVENT_TYPES: ReadonlySet<string> = new Set(
  streamEventSchema.options.map((option) => option.shape.type.value),
);

export const embedResponseSchema = z.looseObject({
  id: z.string().optional(),
  embeddings: z.looseObject({ float: z.array(z.array(z.number())) }),
  meta: z.looseObject({ billed_units: z.looseObject({ input_tokens: z.number().optional() }).optional() }).nullish(),
});

/** Cohere's error body: `{"id": "...", "message": "..."}` (older answers only carry `message`). */
export const errorBodySchema = z.looseObject({ message: z.string() });
