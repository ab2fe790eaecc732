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
  file: z.looseObject({ file_data: z.string().optional(), file_id: z.string().optional(), filename: z.string().optional() }),
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

export const chatMessageSchema = z.discriminatedUnion("role", [systemMessage, userMessage, assistantMessage, toolMessage]);

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

const stopSchema = z.union([z.string(), z.array(z.string()).max(16)]).nullish();
const positiveInt = z.number().int().positive();

export const chatCompletionRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(chatMessageSchema).min(1),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  n: positiveInt.max(128).nullish(),
  stop: stopSchema,
  max_tokens: positiveInt.nullish(),
  max_completion_tokens: positiveInt.nullish(),
  seed: z.number().int().nullish(),
  user: z.string().optional(),
  presence_penalty: z.number().min(-2).max(2).nullish(),
  frequency_penalty: z.number().min(-2).max(2).nullish(),
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
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  max_tokens: positiveInt.nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  n: positiveInt.max(128).nullish(),
  stop: stopSchema,
  seed: z.number().int().nullish(),
  user: z.string().optional(),
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
