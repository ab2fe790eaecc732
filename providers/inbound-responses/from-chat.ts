import * as z from "zod";
import type { Usage } from "../../schema/openai-response";
import { chatUsageOf } from "../inbound-anthropic/from-chat";
import { chatChoicesSchema, chatToolCallsSchema } from "../shared/chat-completion-schema";
import { parseUpstream } from "../shared/json";
import { finalStatusOf, newId, outputText, responseUsageOf, type OutputItem, type ResponseObject } from "./wire";

/**
 * The gateway's chat answer (a `chat.completion` from any adapter or the cache) -> a Responses `response`, on top
 * of the shell that echoes the request (wire.ts responseShell). Pure but for the item ids it draws. Only the
 * first choice is read: a Responses request always asks for one.
 */

const completionSchema = z.looseObject({
  model: z.string(),
  choices: chatChoicesSchema(z.looseObject({ content: z.string().nullish(), tool_calls: chatToolCallsSchema })),
  usage: z
    .looseObject({
      prompt_tokens: z.number(),
      completion_tokens: z.number().optional(),
      total_tokens: z.number().optional(),
      prompt_tokens_details: z.looseObject({ cached_tokens: z.number().nullish() }).nullish(),
      completion_tokens_details: z.looseObject({ reasoning_tokens: z.number().nullish() }).nullish(),
    })
    .nullish(),
});

type Completion = z.infer<typeof completionSchema>;

function usageOf(usage: Completion["usage"]): Usage | null {
  const out = chatUsageOf(usage);
  const reasoning = usage?.completion_tokens_details?.reasoning_tokens;
  if (out && reasoning) out.completion_tokens_details = { reasoning_tokens: reasoning };
  return out;
}

function outputOf(message: Completion["choices"][number]["message"] | undefined): OutputItem[] {
  const items: OutputItem[] = [];
  if (message?.content)
    items.push({
      type: "message",
      id: newId("msg"),
      status: "completed",
      role: "assistant",
      content: [outputText(message.content)],
    });
  for (const call of message?.tool_calls ?? []) {
    items.push({
      type: "function_call",
      id: newId("fc"),
      call_id: call.id,
      name: call.function.name,
      arguments: call.function.arguments,
      status: "completed",
    });
  }
  return items;
}

export function chatToResponse(json: unknown, shell: ResponseObject): ResponseObject {
  const completion = parseUpstream(completionSchema, json, "chat completion");
  const [choice] = completion.choices;
  return {
    ...shell,
    ...finalStatusOf(choice?.finish_reason),
    model: completion.model || shell.model,
    output: outputOf(choice?.message),
    usage: responseUsageOf(usageOf(completion.usage)),
  };
}
