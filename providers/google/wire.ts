import * as z from "zod";

/**
 * Zod schemas of the Gemini API (Generative Language API v1beta) payloads we read. Objects are loose: Google adds
 * fields often (safetyRatings, citationMetadata, groundingMetadata, avgLogprobs, ...) and we must not reject them.
 * Only what the mappers rely on is required; everything else is optional, as the API omits empty fields.
 */

const functionCallSchema = z.looseObject({
  name: z.string(),
  args: z.record(z.string(), z.unknown()).nullish(),
  /** Populated by some models; used as the OpenAI tool call id when present. */
  id: z.string().nullish(),
});

export const partSchema = z.looseObject({
  text: z.string().nullish(),
  /** `true` on thought-summary parts (only sent when `thinkingConfig.includeThoughts` is set). */
  thought: z.boolean().nullish(),
  /** Opaque reasoning state that must be echoed back with function calls on Gemini 3 models. */
  thoughtSignature: z.string().nullish(),
  functionCall: functionCallSchema.nullish(),
});

const contentSchema = z.looseObject({
  role: z.string().nullish(),
  parts: z.array(partSchema).nullish(),
});

export const candidateSchema = z.looseObject({
  content: contentSchema.nullish(),
  finishReason: z.string().nullish(),
  index: z.number().int().nullish(),
});

const count = z.number().int().nonnegative().nullish();

export const usageMetadataSchema = z.looseObject({
  promptTokenCount: count,
  candidatesTokenCount: count,
  cachedContentTokenCount: count,
  thoughtsTokenCount: count,
  toolUsePromptTokenCount: count,
  totalTokenCount: count,
});

const promptFeedbackSchema = z.looseObject({
  blockReason: z.string().nullish(),
  blockReasonMessage: z.string().nullish(),
});

/** `GenerateContentResponse`: the body of `:generateContent` and the data of every `alt=sse` stream event. */
export const generateContentResponseSchema = z.looseObject({
  candidates: z.array(candidateSchema).nullish(),
  promptFeedback: promptFeedbackSchema.nullish(),
  usageMetadata: usageMetadataSchema.nullish(),
  modelVersion: z.string().nullish(),
  responseId: z.string().nullish(),
});

/** Google's error object (`google.rpc.Status` as JSON): `{code: 400, message, status: "INVALID_ARGUMENT", details}`. */
export const googleErrorObjectSchema = z.looseObject({
  code: z.number().nullish(),
  message: z.string().nullish(),
  status: z.string().nullish(),
});

/** Error envelope: `{error: {...}}`, sometimes wrapped in an array of one (`[{error: {...}}]`). */
export const googleErrorEnvelopeSchema = z.looseObject({ error: googleErrorObjectSchema });

/** `BatchEmbedContentsResponse`. Usage is not documented for this method; read it if Google ever reports it. */
export const batchEmbedContentsResponseSchema = z.looseObject({
  embeddings: z.array(z.looseObject({ values: z.array(z.number()) })),
  usageMetadata: z.looseObject({ promptTokenCount: count, totalTokenCount: count }).nullish(),
});

export type GeminiPart = z.infer<typeof partSchema>;
export type GeminiCandidate = z.infer<typeof candidateSchema>;
export type GeminiUsageMetadata = z.infer<typeof usageMetadataSchema>;
export type GenerateContentResponse = z.infer<typeof generateContentResponseSchema>;
export type GoogleErrorObject = z.infer<typeof googleErrorObjectSchema>;
export type BatchEmbedContentsResponse = z.infer<typeof batchEmbedContentsResponseSchema>;
