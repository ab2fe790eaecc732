import * as z from "zod";

/**
 * The OpenAI Responses API request (`POST /v1/responses`) as the gateway accepts it, after the `openai` SDK's
 * ResponseCreateParams. Objects are loose: OpenAI targets get the client's body as sent, so fields we do not
 * model still reach OpenAI. Input items and content parts of a kind the gateway does not translate are kept as
 * `{ type: "unsupported", originalType }`: valid for OpenAI, refused (400 naming the item) by any other target.
 */

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A value whose `type` is not one of `known` becomes an "unsupported" marker (message items may omit `type`). */
function normalized(known: readonly string[], defaultType?: string) {
  return (value: unknown): unknown => {
    if (!isRecord(value)) return value;
    const type = value.type ?? (defaultType !== undefined && "role" in value ? defaultType : undefined);
    if (typeof type === "string" && known.includes(type)) return { ...value, type };
    return { type: "unsupported", originalType: typeof type === "string" ? type : "(none)" };
  };
}

const unsupported = z.object({ type: z.literal("unsupported"), originalType: z.string() });

/**
 * A string, or an array checked by `array`: picked by the value's type, so an error inside the array names its
 * field (`input[0].content[0].text`) instead of zod's whole-union "invalid input".
 */
function stringOr<T extends z.ZodType>(array: T) {
  return z.unknown().transform((value, ctx): string | z.output<T> => {
    if (typeof value === "string") return value;
    const result = array.safeParse(value);
    if (result.success) return result.data;
    for (const issue of result.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
    return z.NEVER;
  });
}

const inputText = z.looseObject({ type: z.literal("input_text"), text: z.string() });
const inputImage = z.looseObject({
  type: z.literal("input_image"),
  image_url: z.string().min(1).nullish(),
  file_id: z.string().nullish(),
  detail: z.enum(["low", "high", "auto", "original"]).optional(),
});
const inputFile = z.looseObject({
  type: z.literal("input_file"),
  file_data: z.string().nullish(),
  file_id: z.string().nullish(),
  file_url: z.string().nullish(),
  filename: z.string().nullish(),
});
const outputText = z.looseObject({ type: z.literal("output_text"), text: z.string() });
const refusal = z.looseObject({ type: z.literal("refusal"), refusal: z.string() });

const PART_TYPES = ["input_text", "input_image", "input_file", "output_text", "refusal"] as const;
export const contentPartSchema = z.preprocess(
  normalized(PART_TYPES),
  z.discriminatedUnion("type", [inputText, inputImage, inputFile, outputText, refusal, unsupported]),
);

const messageItem = z.looseObject({
  type: z.literal("message"),
  role: z.enum(["user", "assistant", "system", "developer"]),
  content: stringOr(z.array(contentPartSchema)),
  id: z.string().nullish(),
});
const functionCallItem = z.looseObject({
  type: z.literal("function_call"),
  call_id: z.string().min(1),
  name: z.string().min(1),
  arguments: z.string(),
  id: z.string().nullish(),
});
const functionCallOutputItem = z.looseObject({
  type: z.literal("function_call_output"),
  call_id: z.string().min(1),
  output: stringOr(z.array(contentPartSchema)),
  id: z.string().nullish(),
});
/** Reasoning of an earlier turn: OpenAI reads it back; other providers never see prior reasoning (dropped). */
const reasoningItem = z.looseObject({ type: z.literal("reasoning") });

const ITEM_TYPES = ["message", "function_call", "function_call_output", "reasoning"] as const;
export const inputItemSchema = z.preprocess(
  normalized(ITEM_TYPES, "message"),
  z.discriminatedUnion("type", [messageItem, functionCallItem, functionCallOutputItem, reasoningItem, unsupported]),
);

const functionTool = z.looseObject({
  type: z.literal("function"),
  name: z.string().min(1),
  description: z.string().nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  strict: z.boolean().nullish(),
});
const toolSchema = z.preprocess(normalized(["function"]), z.discriminatedUnion("type", [functionTool, unsupported]));

const toolChoiceSchema = z.union([
  z.enum(["none", "auto", "required"]),
  z.looseObject({ type: z.literal("function"), name: z.string().min(1) }),
  z.looseObject({ type: z.string() }),
]);

const formatSchema = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("text") }),
  z.looseObject({ type: z.literal("json_object") }),
  z.looseObject({
    type: z.literal("json_schema"),
    name: z.string().min(1),
    schema: z.record(z.string(), z.unknown()),
    description: z.string().nullish(),
    strict: z.boolean().nullish(),
  }),
]);

/** OpenAI's metadata: at most 16 string pairs, keys up to 64 characters, values up to 512. */
const metadataSchema = z
  .record(z.string().max(64), z.string().max(512))
  .refine((metadata) => Object.keys(metadata).length <= 16, { error: "at most 16 keys are allowed" });

export const responsesRequestSchema = z.looseObject({
  model: z.string().min(1),
  input: stringOr(z.array(inputItemSchema)).optional(),
  instructions: z.string().nullish(),
  tools: z.array(toolSchema).optional(),
  tool_choice: toolChoiceSchema.optional(),
  parallel_tool_calls: z.boolean().nullish(),
  text: z.looseObject({ format: formatSchema.optional() }).nullish(),
  reasoning: z
    .looseObject({ effort: z.enum(["none", "minimal", "low", "medium", "high", "xhigh"]).nullish() })
    .nullish(),
  max_output_tokens: z.number().int().positive().nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  metadata: metadataSchema.nullish(),
  store: z.boolean().nullish(),
  previous_response_id: z.string().min(1).nullish(),
  stream: z.boolean().nullish(),
  user: z.string().optional(),
  safety_identifier: z.string().nullish(),
});

export type ResponsesRequest = z.infer<typeof responsesRequestSchema>;
export type InputItem = z.infer<typeof inputItemSchema>;
export type ContentPart = z.infer<typeof contentPartSchema>;
export type ResponsesTool = z.infer<typeof toolSchema>;

/** `GET /v1/responses/{id}/input_items` query: OpenAI's cursor list parameters. */
export const inputItemsQuerySchema = z.object({
  after: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  order: z.enum(["asc", "desc"]).default("desc"),
});
