import * as z from "zod";

/**
 * What the cache reads back from answers it did not build itself (the client's SSE chunks, stored bodies): loose
 * schemas of just the fields assembly and replay touch, so anything else a provider sends is kept as it came.
 */

const usage = z.looseObject({ prompt_tokens: z.number() }).nullish();

export const toolCallDeltaSchema = z.looseObject({
  index: z.number().int().min(0),
  id: z.string().optional(),
  type: z.string().optional(),
  function: z.looseObject({ name: z.string().optional(), arguments: z.string().optional() }).optional(),
});

const logprobs = z
  .looseObject({ content: z.array(z.unknown()).nullish(), refusal: z.array(z.unknown()).nullish() })
  .nullish();

export const chatChunkSchema = z.looseObject({
  id: z.string(),
  object: z.literal("chat.completion.chunk"),
  created: z.number(),
  model: z.string(),
  system_fingerprint: z.string().nullish(),
  choices: z.array(
    z.looseObject({
      index: z.number().int().min(0),
      delta: z.record(z.string(), z.unknown()),
      finish_reason: z.string().nullish(),
      logprobs,
    }),
  ),
  usage,
});

export const completionChunkSchema = z.looseObject({
  id: z.string(),
  object: z.literal("text_completion"),
  created: z.number(),
  model: z.string(),
  choices: z.array(
    z.looseObject({
      index: z.number().int().min(0),
      text: z.string(),
      finish_reason: z.string().nullish(),
      logprobs: z.unknown().optional(),
    }),
  ),
  usage,
});

const toolCall = z.looseObject({
  id: z.string(),
  type: z.string(),
  function: z.looseObject({ name: z.string(), arguments: z.string() }),
});

/** A stored chat.completion, as replay needs it. */
export const chatBodySchema = z.looseObject({
  id: z.string(),
  created: z.number(),
  model: z.string(),
  system_fingerprint: z.string().nullish(),
  choices: z.array(
    z.looseObject({
      index: z.number().int().min(0),
      message: z.looseObject({
        content: z.string().nullish(),
        refusal: z.string().nullish(),
        tool_calls: z.array(toolCall).optional(),
      }),
      finish_reason: z.string().nullish(),
      logprobs,
    }),
  ),
});

/** A stored text_completion, as replay needs it. */
export const completionBodySchema = z.looseObject({
  id: z.string(),
  created: z.number(),
  model: z.string(),
  choices: z.array(
    z.looseObject({ index: z.number().int().min(0), text: z.string(), finish_reason: z.string().nullish() }),
  ),
});

export const embeddingsBodySchema = z.looseObject({ object: z.literal("list"), data: z.array(z.unknown()).min(1) });

export type ChatChunk = z.infer<typeof chatChunkSchema>;
export type CompletionChunk = z.infer<typeof completionChunkSchema>;
export type ChatBody = z.infer<typeof chatBodySchema>;
export type CompletionBody = z.infer<typeof completionBodySchema>;
