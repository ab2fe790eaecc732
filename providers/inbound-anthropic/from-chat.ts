import * as z from "zod";
import type { Usage } from "../../schema/openai-response";
import { chatChoicesSchema, chatToolCallsSchema } from "../shared/chat-completion-schema";
import { parseUpstream } from "../shared/json";
import {
  messageIdOf,
  messageUsageOf,
  stopReasonOf,
  toolInputOf,
  type AnthropicMessageOut,
  type MessageContentBlock,
} from "./message";

/**
 * The gateway's chat answer (a `chat.completion`, from any adapter, a passthrough provider or the cache) -> an
 * Anthropic `message`. Pure. Only the first choice is read: a Messages request always asks for one.
 */

const usageSchema = z.looseObject({
  prompt_tokens: z.number(),
  completion_tokens: z.number().optional(),
  total_tokens: z.number().optional(),
  prompt_tokens_details: z.looseObject({ cached_tokens: z.number().nullish() }).nullish(),
  cache_creation_input_tokens: z.number().nullish(),
});

const completionSchema = z.looseObject({
  id: z.string(),
  model: z.string(),
  choices: chatChoicesSchema(
    z.looseObject({
      content: z.string().nullish(),
      reasoning_content: z.string().nullish(),
      tool_calls: chatToolCallsSchema,
    }),
  ),
  usage: usageSchema.nullish(),
});

type ParsedUsage = z.infer<typeof usageSchema>;

/** The parsed usage in the shape of the gateway's Usage (fields a passthrough provider left out read as 0). */
export function chatUsageOf(usage: ParsedUsage | null | undefined): Usage | null {
  if (!usage) return null;
  const out: Usage = {
    prompt_tokens: usage.prompt_tokens,
    completion_tokens: usage.completion_tokens ?? 0,
    total_tokens: usage.total_tokens ?? usage.prompt_tokens + (usage.completion_tokens ?? 0),
    prompt_tokens_details: { cached_tokens: usage.prompt_tokens_details?.cached_tokens ?? 0 },
  };
  if (usage.cache_creation_input_tokens) out.cache_creation_input_tokens = usage.cache_creation_input_tokens;
  return out;
}

export function chatToMessage(json: unknown): AnthropicMessageOut {
  const completion = parseUpstream(completionSchema, json, "chat completion");
  const [choice] = completion.choices;
  const message = choice?.message;
  const content: MessageContentBlock[] = [];
  if (message?.reasoning_content)
    content.push({ type: "thinking", thinking: message.reasoning_content, signature: "" });
  if (message?.content) content.push({ type: "text", text: message.content });
  const calls = message?.tool_calls ?? [];
  for (const call of calls) {
    content.push({
      type: "tool_use",
      id: call.id,
      name: call.function.name,
      input: toolInputOf(call.function.arguments),
    });
  }
  return {
    id: messageIdOf(completion.id),
    type: "message",
    role: "assistant",
    model: completion.model,
    content,
    stop_reason: stopReasonOf(choice?.finish_reason, calls.length > 0),
    stop_sequence: null,
    usage: messageUsageOf(chatUsageOf(completion.usage)),
  };
}
