import type { ChatCompletionRequest, ChatMessage } from "../../schema/openai-request";
import { UnsupportedParameterError, type ResolvedTarget, type UpstreamCall } from "../types";
import { workersAiModel, workersAiRestUrl } from "./urls";

/**
 * OpenAI chat request -> Workers AI text-generation inputs (`{messages, stream, max_tokens, ...}`), the same
 * object for the `AI` binding and the REST API. Content arrays are joined to text: most Workers AI models take
 * string content. Workers AI caps answers at 256 tokens when max_tokens is absent: clients who want more say so.
 */
type WorkersAiMessage = Record<string, unknown> & { role: string; content: string };

function text(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part: { type?: string; text?: string }) => (part.type === "text" ? (part.text ?? "") : ""))
    .join("");
}

function toMessage(message: ChatMessage, i: number): WorkersAiMessage {
  if (
    message.role === "user" &&
    Array.isArray(message.content) &&
    message.content.some((part) => part.type !== "text")
  ) {
    throw new UnsupportedParameterError(
      `messages[${i}].content`,
      "workers-ai accepts text content only through the gateway",
    );
  }
  const out: WorkersAiMessage = {
    role: message.role === "developer" ? "system" : message.role,
    content: text(message.content),
  };
  if (message.role === "assistant" && message.tool_calls?.length) out.tool_calls = message.tool_calls;
  if (message.role === "tool") out.tool_call_id = message.tool_call_id;
  return out;
}

export function toWorkersAiInputs(body: ChatCompletionRequest): Record<string, unknown> {
  if (body.n != null && body.n > 1)
    throw new UnsupportedParameterError("n", "workers-ai returns one choice: n must be 1");
  const inputs: Record<string, unknown> = { messages: body.messages.map(toMessage) };
  if (body.stream) inputs.stream = true;
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  if (maxTokens != null) inputs.max_tokens = maxTokens;
  for (const key of ["temperature", "top_p", "seed", "frequency_penalty", "presence_penalty"] as const) {
    if (body[key] != null) inputs[key] = body[key];
  }
  if (body.tools?.length && body.tool_choice !== "none") inputs.tools = body.tools;
  if (body.response_format && body.response_format.type !== "text") inputs.response_format = body.response_format;
  return inputs;
}

/**
 * Without a credential the call goes through the Worker's `AI` binding (no key, billed to the deploying
 * account); with a Cloudflare API token it goes to the REST API of the account the request names.
 */
export function workersAiCall(model: string, inputs: Record<string, unknown>, target: ResolvedTarget): UpstreamCall {
  const checked = workersAiModel(model);
  if (!target.apiKey) {
    return {
      url: `binding:AI/run/${checked}`,
      headers: {},
      body: JSON.stringify(inputs),
      binding: { name: "AI", model: checked, inputs },
    };
  }
  return {
    url: workersAiRestUrl(target, checked),
    headers: { "content-type": "application/json", authorization: `Bearer ${target.apiKey}` },
    body: JSON.stringify(inputs),
  };
}

export function buildWorkersAiChatRequest(body: ChatCompletionRequest, target: ResolvedTarget): UpstreamCall {
  return workersAiCall(body.model, toWorkersAiInputs(body), target);
}
