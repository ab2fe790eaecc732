import type { ChatCompletionRequest } from "../../schema/openai-request";
import { UnsupportedParameterError, type ResolvedTarget, type UpstreamCall } from "../types";
import { textBlock } from "./content";
import { JSON_OBJECT_INSTRUCTION } from "./json-tool";
import { continuesToolLoop, convertMessages } from "./messages";
import type { MessagesRequestBody, TextBlockParam } from "./request-types";
import { resolveTokenSettings } from "./thinking";
import { buildToolConfig } from "./tools";

export const ANTHROPIC_BASE_URL = "https://api.anthropic.com/v1";
export const ANTHROPIC_VERSION = "2023-06-01";

/** One string when possible; blocks when a block carries cache_control (only blocks can). */
function systemParam(blocks: TextBlockParam[]): string | TextBlockParam[] | undefined {
  if (blocks.length === 0) return undefined;
  if (blocks.some((block) => block.cache_control)) return blocks;
  return blocks.map((block) => block.text).join("\n\n");
}

function stopSequences(stop: ChatCompletionRequest["stop"]): string[] | undefined {
  if (stop == null) return undefined;
  const list = typeof stop === "string" ? [stop] : stop;
  return list.length > 0 ? list : undefined;
}

/**
 * Sampling parameters.
 * - temperature: OpenAI allows 0..2, Anthropic 0..1; values above 1 are clamped to 1 (the closest Anthropic
 *   setting; rescaling would change the meaning of every value the client picked for OpenAI's scale).
 * - With extended thinking Anthropic refuses temperature changes and top_p below 0.95; clients often send these
 *   by default, so they are dropped rather than failing the request.
 * - presence_penalty, frequency_penalty and seed have no Anthropic equivalent and are dropped silently (seed
 *   gives no determinism guarantee on OpenAI either).
 */
function sampling(body: ChatCompletionRequest, thinking: boolean): Pick<MessagesRequestBody, "temperature" | "top_p"> {
  if (thinking) return {};
  const out: Pick<MessagesRequestBody, "temperature" | "top_p"> = {};
  if (body.temperature != null) out.temperature = Math.min(body.temperature, 1);
  if (body.top_p != null) out.top_p = body.top_p;
  return out;
}

/** OpenAI chat request -> Anthropic Messages request body. */
export function toAnthropicBody(body: ChatCompletionRequest): MessagesRequestBody {
  if (body.n != null && body.n > 1) {
    throw new UnsupportedParameterError("n", "Anthropic returns one choice per request: n must be 1");
  }
  const { system, messages } = convertMessages(body.messages);
  const tokens = resolveTokenSettings(body);
  // With thinking on, Anthropic requires the assistant turn that called tools to start with its signed thinking
  // block when the tool results come back. OpenAI-format history cannot carry that block, so such a request
  // would always be refused: thinking is left off for tool-loop continuations (the next fresh turn thinks again).
  const thinking = tokens.thinking && !continuesToolLoop(messages) ? tokens.thinking : undefined;
  const toolConfig = buildToolConfig(body, thinking !== undefined);

  const systemBlocks = [...system];
  if (body.response_format?.type === "json_object") systemBlocks.push(textBlock(JSON_OBJECT_INSTRUCTION));
  if (toolConfig.instruction) systemBlocks.push(textBlock(toolConfig.instruction));

  const out: MessagesRequestBody = { model: body.model, messages, max_tokens: tokens.max_tokens };
  const systemValue = systemParam(systemBlocks);
  if (systemValue !== undefined) out.system = systemValue;
  const stop = stopSequences(body.stop);
  if (stop) out.stop_sequences = stop;
  Object.assign(out, sampling(body, thinking !== undefined));
  if (body.user) out.metadata = { user_id: body.user };
  if (toolConfig.tools) out.tools = toolConfig.tools;
  if (toolConfig.tool_choice) out.tool_choice = toolConfig.tool_choice;
  if (thinking) out.thinking = thinking;
  // Anthropic always reports usage on streams (message_start and message_delta): nothing to ask for.
  if (body.stream) out.stream = true;
  return out;
}

export function buildAnthropicRequest(body: ChatCompletionRequest, target: ResolvedTarget): UpstreamCall {
  const headers: Record<string, string> = {
    "anthropic-version": ANTHROPIC_VERSION,
    "content-type": "application/json",
  };
  // Without a key the request is still built: Anthropic answers 401, which reaches the client as such.
  if (target.apiKey) headers["x-api-key"] = target.apiKey;
  return {
    url: `${target.customHost ?? ANTHROPIC_BASE_URL}/messages`,
    headers,
    body: JSON.stringify(toAnthropicBody(body)),
  };
}
