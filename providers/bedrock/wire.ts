import * as z from "zod";

/**
 * Zod schemas of what Bedrock's Converse API sends back: the Converse response, the payloads of ConverseStream's
 * event-stream messages, and error bodies. Objects are loose (AWS adds members to its unions: citations,
 * guardrail traces, ...); a content block or delta of a kind we do not map is accepted and passed over.
 */

const tokenCount = z.number().int().nonnegative();

export const usageSchema = z.looseObject({
  inputTokens: tokenCount,
  outputTokens: tokenCount,
  totalTokens: tokenCount.optional(),
  cacheReadInputTokens: tokenCount.nullish(),
  cacheWriteInputTokens: tokenCount.nullish(),
});

const toolUseBlock = z.looseObject({
  toolUseId: z.string().min(1),
  name: z.string().min(1),
  input: z.unknown(),
});

const reasoningBlock = z.looseObject({
  reasoningText: z.looseObject({ text: z.string(), signature: z.string().optional() }).optional(),
  redactedContent: z.string().optional(),
});

/** A union in AWS's terms: exactly one member is set; members we do not map (image, citations ...) are ignored. */
export const contentBlockSchema = z.looseObject({
  text: z.string().optional(),
  toolUse: toolUseBlock.optional(),
  reasoningContent: reasoningBlock.optional(),
});

export const converseResponseSchema = z.looseObject({
  output: z.looseObject({
    message: z.looseObject({ role: z.literal("assistant"), content: z.array(contentBlockSchema) }),
  }),
  stopReason: z.string(),
  usage: usageSchema,
});

/** ConverseStream events, by `:event-type`. */
export const messageStartSchema = z.looseObject({ role: z.string() });
export const blockStartSchema = z.looseObject({
  contentBlockIndex: tokenCount,
  start: z.looseObject({
    toolUse: z.looseObject({ toolUseId: z.string().min(1), name: z.string().min(1) }).optional(),
  }),
});
export const blockDeltaSchema = z.looseObject({
  contentBlockIndex: tokenCount,
  delta: z.looseObject({
    text: z.string().optional(),
    toolUse: z.looseObject({ input: z.string() }).optional(),
    reasoningContent: z
      .looseObject({
        text: z.string().optional(),
        signature: z.string().optional(),
        redactedContent: z.string().optional(),
      })
      .optional(),
  }),
});
export const messageStopSchema = z.looseObject({ stopReason: z.string() });
export const metadataSchema = z.looseObject({ usage: usageSchema });

/** An exception message's payload, and Bedrock's JSON error body: `{"message": "..."}` (sometimes `Message`). */
export const errorBodySchema = z.looseObject({
  message: z.string().optional(),
  Message: z.string().optional(),
  __type: z.string().optional(),
});

export type BedrockUsage = z.infer<typeof usageSchema>;
export type BedrockContentBlock = z.infer<typeof contentBlockSchema>;

/** Titan Text Embeddings (`/invoke` answer): one vector per request. */
export const titanEmbeddingSchema = z.looseObject({
  embedding: z.array(z.number()),
  inputTextTokenCount: tokenCount.optional(),
});

/** Cohere Embed on Bedrock: `embeddings` is a list of float vectors (or, with embedding_types, an object of them). */
export const cohereEmbeddingSchema = z.looseObject({
  embeddings: z.union([z.array(z.array(z.number())), z.looseObject({ float: z.array(z.array(z.number())) })]),
});
