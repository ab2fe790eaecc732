import * as z from "zod";
import type { ChatCompletion, FinishReason, Usage } from "../../schema/openai-response";
import { compatibleHeaders, compatibleUrl } from "../openai-compatible/urls";
import { parseUpstream } from "../shared/json";
import type { ResolvedTarget, ResponseContext, UpstreamCall } from "../types";

/**
 * OpenAI's own Responses endpoint, for OpenAI targets of `/v1/responses`: the client's body goes to
 * `{base}/responses` (the base a custom_host replaces), with the headers the OpenAI adapter sends for chat. Its
 * answer goes back untouched; these helpers only read it for the gateway's accounting (usage, model, finish).
 */
export function openaiResponsesCall(target: ResolvedTarget, model: string, body: string): UpstreamCall {
  const chatUrl = compatibleUrl("openai", target, "chat", model);
  return {
    url: chatUrl.replace(/\/chat\/completions$/, "/responses"),
    headers: compatibleHeaders("openai", target),
    body,
  };
}

const usageSchema = z.looseObject({
  input_tokens: z.number(),
  output_tokens: z.number(),
  total_tokens: z.number().optional(),
  input_tokens_details: z.looseObject({ cached_tokens: z.number().nullish() }).nullish(),
  output_tokens_details: z.looseObject({ reasoning_tokens: z.number().nullish() }).nullish(),
});

export const responseBodySchema = z.looseObject({
  id: z.string(),
  model: z.string().optional(),
  status: z.string().nullish(),
  incomplete_details: z.looseObject({ reason: z.string().nullish() }).nullish(),
  output: z.array(z.looseObject({ type: z.string() })).optional(),
  usage: usageSchema.nullish(),
});

type ResponseBody = z.infer<typeof responseBodySchema>;

/** The Responses usage -> the gateway's (chat) usage, which the log, cost and budgets read. */
export function chatUsageOfResponse(usage: ResponseBody["usage"]): Usage | undefined {
  if (!usage) return undefined;
  const out: Usage = {
    prompt_tokens: usage.input_tokens,
    completion_tokens: usage.output_tokens,
    total_tokens: usage.total_tokens ?? usage.input_tokens + usage.output_tokens,
    prompt_tokens_details: { cached_tokens: usage.input_tokens_details?.cached_tokens ?? 0 },
  };
  const reasoning = usage.output_tokens_details?.reasoning_tokens;
  if (reasoning) out.completion_tokens_details = { reasoning_tokens: reasoning };
  return out;
}

/** The chat finish reason a response's status stands for. */
export function finishReasonOfResponse(response: ResponseBody): FinishReason {
  if (response.status === "incomplete")
    return response.incomplete_details?.reason === "content_filter" ? "content_filter" : "length";
  return (response.output ?? []).some((item) => item.type === "function_call") ? "tool_calls" : "stop";
}

/** A Responses answer as a chat completion, for the outcome only (the client gets OpenAI's text as it came). */
export function accountResponse(json: unknown, ctx: ResponseContext): ChatCompletion {
  const response = parseUpstream(responseBodySchema, json, "response");
  const completion: ChatCompletion = {
    id: response.id,
    object: "chat.completion",
    created: ctx.created,
    model: response.model ?? ctx.model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: null },
        finish_reason: finishReasonOfResponse(response),
        logprobs: null,
      },
    ],
  };
  const usage = chatUsageOfResponse(response.usage);
  if (usage) completion.usage = usage;
  return completion;
}
