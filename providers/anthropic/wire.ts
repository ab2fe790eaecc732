import * as z from "zod";

/**
 * Zod schemas of what Anthropic's Messages API sends back: the `message` object, the SSE stream events and the
 * error body. Objects are loose (Anthropic adds fields under its versioning policy), known content-block and
 * delta types are checked strictly, and types we do not know yet (server tools, citations, ...) are accepted so
 * a new block kind does not turn a good answer into a 502.
 */

const tokenCount = z.number().int().nonnegative();
const optionalCount = tokenCount.nullish();

export const usageSchema = z.looseObject({
  input_tokens: tokenCount,
  output_tokens: tokenCount,
  cache_creation_input_tokens: optionalCount,
  cache_read_input_tokens: optionalCount,
});

/** `message_delta.usage`: cumulative counts; only `output_tokens` is always present. */
export const deltaUsageSchema = z.looseObject({
  output_tokens: tokenCount,
  input_tokens: optionalCount,
  cache_creation_input_tokens: optionalCount,
  cache_read_input_tokens: optionalCount,
});

const textBlock = z.looseObject({ type: z.literal("text"), text: z.string() });
const thinkingBlock = z.looseObject({
  type: z.literal("thinking"),
  thinking: z.string(),
  signature: z.string().optional(),
});
const redactedThinkingBlock = z.looseObject({ type: z.literal("redacted_thinking"), data: z.string() });
const toolUseBlock = z.looseObject({
  type: z.literal("tool_use"),
  id: z.string().min(1),
  name: z.string().min(1),
  input: z.record(z.string(), z.unknown()),
});

const KNOWN_BLOCK_TYPES: ReadonlySet<string> = new Set(["text", "thinking", "redacted_thinking", "tool_use"]);

/**
 * A block type we do not map (server_tool_use, web_search_tool_result, ...): passed over, never rejected. It is
 * re-tagged "other" so TypeScript can tell it apart from the known kinds.
 */
const otherBlock = z
  .looseObject({
    type: z.string().refine((type) => !KNOWN_BLOCK_TYPES.has(type), "known block type with a malformed body"),
  })
  .transform((block) => ({ type: "other" as const, originalType: block.type }));

export const contentBlockSchema = z.union([
  z.discriminatedUnion("type", [textBlock, thinkingBlock, redactedThinkingBlock, toolUseBlock]),
  otherBlock,
]);

export const messageSchema = z.looseObject({
  id: z.string().min(1),
  type: z.literal("message"),
  role: z.literal("assistant"),
  model: z.string(),
  content: z.array(contentBlockSchema),
  stop_reason: z.string().nullable(),
  stop_sequence: z.string().nullish(),
  usage: usageSchema,
});

const textDelta = z.looseObject({ type: z.literal("text_delta"), text: z.string() });
const thinkingDelta = z.looseObject({ type: z.literal("thinking_delta"), thinking: z.string() });
const signatureDelta = z.looseObject({ type: z.literal("signature_delta"), signature: z.string() });
const inputJsonDelta = z.looseObject({ type: z.literal("input_json_delta"), partial_json: z.string() });

const KNOWN_DELTA_TYPES: ReadonlySet<string> = new Set([
  "text_delta",
  "thinking_delta",
  "signature_delta",
  "input_json_delta",
]);

/** citations_delta and future delta kinds, re-tagged "other". */
const otherDelta = z
  .looseObject({
    type: z.string().refine((type) => !KNOWN_DELTA_TYPES.has(type), "known delta type with a malformed body"),
  })
  .transform((delta) => ({ type: "other" as const, originalType: delta.type }));

export const blockDeltaSchema = z.union([
  z.discriminatedUnion("type", [textDelta, thinkingDelta, signatureDelta, inputJsonDelta]),
  otherDelta,
]);

export const errorObjectSchema = z.looseObject({ type: z.string(), message: z.string() });

/** The start message carries no content yet; only what the mapper needs is required. */
const startMessage = z.looseObject({ id: z.string().min(1), model: z.string(), usage: usageSchema });

export const streamEventSchema = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("message_start"), message: startMessage }),
  z.looseObject({ type: z.literal("content_block_start"), index: tokenCount, content_block: contentBlockSchema }),
  z.looseObject({ type: z.literal("content_block_delta"), index: tokenCount, delta: blockDeltaSchema }),
  z.looseObject({ type: z.literal("content_block_stop"), index: tokenCount }),
  z.looseObject({
    type: z.literal("message_delta"),
    delta: z.looseObject({ stop_reason: z.string().nullish(), stop_sequence: z.string().nullish() }),
    usage: deltaUsageSchema.optional(),
  }),
  z.looseObject({ type: z.literal("message_stop") }),
  z.looseObject({ type: z.literal("ping") }),
  z.looseObject({ type: z.literal("error"), error: errorObjectSchema }),
]);

export const STREAM_EVENT_TYPES: ReadonlySet<string> = new Set([
  "message_start",
  "content_block_start",
  "content_block_delta",
  "content_block_stop",
  "message_delta",
  "message_stop",
  "ping",
  "error",
]);

/** `{"type":"error","error":{"type":"...","message":"..."},"request_id":"req_..."}` */
export const errorBodySchema = z.looseObject({ error: errorObjectSchema });

export type AnthropicUsage = z.infer<typeof usageSchema>;
export type AnthropicDeltaUsage = z.infer<typeof deltaUsageSchema>;
export type AnthropicContentBlock = z.infer<typeof contentBlockSchema>;
export type AnthropicMessage = z.infer<typeof messageSchema>;
export type AnthropicStreamEvent = z.infer<typeof streamEventSchema>;
