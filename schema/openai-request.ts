import * as z from "zod";

/**
 * Request bodies of the OpenAI API as the gateway accepts them. Objects are "loose": fields we do not model are
 * kept and passed through to OpenAI-compatible providers, so a new OpenAI parameter works before we know it.
 */

const textPart = z.looseObject({ type: z.literal("text"), text: z.string() });
const imagePart = z.looseObject({
  type: z.literal("image_url"),
  image_url: z.looseObject({ url: z.string().min(1), detail: z.enum(["auto", "low", "high"]).optional() }),
});
const inputAudioPart = z.looseObject({
  type: z.literal("input_audio"),
  input_audio: z.looseObject({ data: z.string(), format: z.string() }),
});
const filePart = z.looseObject({
  type: z.literal("file"),
  file: z.looseObject({
    file_data: z.string().optional(),
    file_id: z.string().optional(),
    filename: z.string().optional(),
  }),
});
const refusalPart = z.looseObject({ type: z.literal("refusal"), refusal: z.string() });

export const userContentPart = z.discriminatedUnion("type", [textPart, imagePart, inputAudioPart, filePart]);

const textContent = z.union([z.string(), z.array(textPart)]);

export const toolCallSchema = z.looseObject({
  id: z.string(),
  type: z.literal("function"),
  function: z.looseObject({ name: z.string(), arguments: z.string() }),
});

const systemMessage = z.looseObject({
  role: z.enum(["system", "developer"]),
  content: textContent,
  name: z.string().optional(),
});
const userMessage = z.looseObject({
  role: z.literal("user"),
  content: z.union([z.string(), z.array(userContentPart)]),
  name: z.string().optional(),
});
const assistantMessage = z.looseObject({
  role: z.literal("assistant"),
  content: z.union([z.string(), z.array(z.union([textPart, refusalPart]))]).nullish(),
  tool_calls: z.array(toolCallSchema).optional(),
  refusal: z.string().nullish(),
  name: z.string().optional(),
});
const toolMessage = z.looseObject({
  role: z.literal("tool"),
  content: textContent,
  tool_call_id: z.string(),
});

export const chatMessageSchema = z.discriminatedUnion("role", [
  systemMessage,
  userMessage,
  assistantMessage,
  toolMessage,
]);

export const functionToolSchema = z.looseObject({
  type: z.literal("function"),
  function: z.looseObject({
    name: z.string().min(1),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullish(),
  }),
});

export const toolChoiceSchema = z.union([
  z.enum(["none", "auto", "required"]),
  z.looseObject({ type: z.literal("function"), function: z.looseObject({ name: z.string() }) }),
]);

export const responseFormatSchema = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("text") }),
  z.looseObject({ type: z.literal("json_object") }),
  z.looseObject({
    type: z.literal("json_schema"),
    json_schema: z.looseObject({
      name: z.string(),
      description: z.string().optional(),
      schema: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().nullish(),
    }),
  }),
]);

// OpenAI allows 4 stop sequences; Anthropic and Gemini allow more, and the gateway serves them too.
const stopSchema = z.union([z.string(), z.array(z.string()).max(16)]).nullish();
const positiveInt = z.number().int().positive();

/*
 * The documented fields below follow the `openai` SDK's request types (ChatCompletionCreateParams,
 * CompletionCreateParams, EmbeddingCreateParams): a wrong type or an out-of-range value is a 400 naming the field
 * before anything goes upstream. A field is nullable exactly where OpenAI accepts null.
 */
const penalty = z.number().min(-2).max(2).nullish();
const streamOptionsSchema = z
  .looseObject({ include_usage: z.boolean().optional(), include_obfuscation: z.boolean().optional() })
  .nullish();

/** A record whose bad keys are reported with `keyRule` (zod's own message only says "Invalid key in record"). */
const recordWithKeys = <V extends z.ZodType>(key: z.ZodString, value: V, keyRule: string) =>
  z.record(key, value, { error: (issue) => (issue.code === "invalid_key" ? keyRule : undefined) });

/** Token id (as a string, OpenAI's tokenizer) -> bias from -100 (ban) to 100 (force). */
const logitBiasSchema = recordWithKeys(
  z.string().regex(/^\d+$/),
  z.number().min(-100).max(100),
  "keys must be token ids (decimal integers as strings)",
).nullish();

/** OpenAI's metadata: at most 16 string pairs, keys up to 64 characters, values up to 512. */
const metadataSchema = recordWithKeys(z.string().max(64), z.string().max(512), "keys must be at most 64 characters")
  .refine((metadata) => Object.keys(metadata).length <= 16, { error: "at most 16 keys are allowed" })
  .nullish();

const audioParamSchema = z.looseObject({
  format: z.enum(["wav", "aac", "mp3", "flac", "opus", "pcm16"]),
  voice: z.union([z.string(), z.looseObject({ id: z.string() })]),
});

const legacyFunctionSchema = z.looseObject({
  name: z.string().min(1),
  description: z.string().optional(),
  parameters: z.record(z.string(), z.unknown()).optional(),
});

const predictionSchema = z.looseObject({ type: z.literal("content"), content: textContent });

const webSearchOptionsSchema = z.looseObject({
  search_context_size: z.enum(["low", "medium", "high"]).optional(),
  user_location: z
    .looseObject({
      type: z.literal("approximate"),
      approximate: z.looseObject({
        city: z.string().optional(),
        country: z.string().optional(),
        region: z.string().optional(),
        timezone: z.string().optional(),
      }),
    })
    .nullish(),
});

const moderationSchema = z.looseObject({ model: z.string(), policy: z.looseObject({}).nullish() });

/** Chat fields the gateway checks but does not read itself: OpenAI-compatible providers get them as sent. */
const chatPassthroughFields = {
  audio: audioParamSchema.nullish(),
  function_call: z.union([z.enum(["none", "auto"]), z.looseObject({ name: z.string() })]).optional(),
  functions: z.array(legacyFunctionSchema).optional(),
  logit_bias: logitBiasSchema,
  logprobs: z.boolean().nullish(),
  top_logprobs: z.number().int().min(0).max(20).nullish(),
  metadata: metadataSchema,
  modalities: z.array(z.enum(["text", "audio"])).nullish(),
  moderation: moderationSchema.nullish(),
  prediction: predictionSchema.nullish(),
  prompt_cache_key: z.string().nullish(),
  prompt_cache_options: z
    .looseObject({ mode: z.enum(["implicit", "explicit"]).optional(), ttl: z.string().optional() })
    .optional(),
  prompt_cache_retention: z.enum(["in_memory", "24h"]).nullish(),
  safety_identifier: z.string().nullish(),
  service_tier: z.enum(["auto", "default", "flex", "scale", "priority"]).nullish(),
  store: z.boolean().nullish(),
  verbosity: z.enum(["low", "medium", "high"]).nullish(),
  web_search_options: webSearchOptionsSchema.optional(),
};

export const chatCompletionRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(chatMessageSchema).min(1),
  stream: z.boolean().nullish(),
  stream_options: streamOptionsSchema,
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  n: positiveInt.max(128).nullish(),
  stop: stopSchema,
  max_tokens: positiveInt.nullish(),
  max_completion_tokens: positiveInt.nullish(),
  seed: z.number().int().nullish(),
  user: z.string().optional(),
  presence_penalty: penalty,
  frequency_penalty: penalty,
  ...chatPassthroughFields,
  tools: z.array(functionToolSchema).optional(),
  tool_choice: toolChoiceSchema.optional(),
  parallel_tool_calls: z.boolean().optional(),
  response_format: responseFormatSchema.optional(),
  reasoning_effort: z.enum(["minimal", "low", "medium", "high"]).nullish(),
});

export const completionRequestSchema = z.looseObject({
  model: z.string().min(1),
  prompt: z.union([z.string(), z.array(z.string()), z.array(z.number().int()), z.array(z.array(z.number().int()))]),
  stream: z.boolean().nullish(),
  stream_options: streamOptionsSchema,
  max_tokens: positiveInt.nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  n: positiveInt.max(128).nullish(),
  stop: stopSchema,
  seed: z.number().int().nullish(),
  user: z.string().optional(),
  best_of: positiveInt.max(20).nullish(),
  echo: z.boolean().nullish(),
  frequency_penalty: penalty,
  presence_penalty: penalty,
  logit_bias: logitBiasSchema,
  // Legacy completions return the log probabilities of the `logprobs` most likely tokens (0..5), not a flag.
  logprobs: z.number().int().min(0).max(5).nullish(),
  suffix: z.string().nullish(),
});

export const embeddingsRequestSchema = z.looseObject({
  model: z.string().min(1),
  input: z.union([
    z.string(),
    z.array(z.string()).min(1),
    z.array(z.number().int()).min(1),
    z.array(z.array(z.number().int())).min(1),
  ]),
  encoding_format: z.enum(["float", "base64"]).optional(),
  dimensions: positiveInt.optional(),
  user: z.string().optional(),
});

export type ChatCompletionRequest = z.infer<typeof chatCompletionRequestSchema>;
export type ChatMessage = z.infer<typeof chatMessageSchema>;
export type UserContentPart = z.infer<typeof userContentPart>;
export type ToolCall = z.infer<typeof toolCallSchema>;
export type FunctionTool = z.infer<typeof functionToolSchema>;
export type ToolChoice = z.infer<typeof toolChoiceSchema>;
export type ResponseFormat = z.infer<typeof responseFormatSchema>;
export type CompletionRequest = z.infer<typeof completionRequestSchema>;
export type EmbeddingsRequest = z.infer<typeof embeddingsRequestSchema>;
