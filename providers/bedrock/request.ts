import type { ChatCompletionRequest } from "../../schema/openai-request";
import { JSON_OBJECT_INSTRUCTION } from "../anthropic/json-tool";
import { resolveTokenSettings } from "../anthropic/thinking";
import { UnsupportedParameterError, type ResolvedTarget, type UpstreamCall } from "../types";
import { withBedrockAuth } from "./auth";
import { jsonSchemaTool } from "./json-schema";
import { convertMessages } from "./messages";
import type { ConverseRequestBody, InferenceConfig } from "./request-types";
import { buildToolConfig } from "./tools";
import { bedrockUrl, modelVendor } from "./urls";

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function stopSequences(stop: ChatCompletionRequest["stop"]): string[] | undefined {
  if (stop == null) return undefined;
  const list = typeof stop === "string" ? [stop] : stop;
  return list.length > 0 ? list : undefined;
}

/**
 * Claude on Bedrock thinks like Claude on Anthropic (the same budgets and max_tokens rules, anthropic/thinking.ts),
 * asked through `additionalModelRequestFields.thinking`. Other vendors have no common reasoning switch: their
 * reasoning_effort is dropped. As on Anthropic, thinking stays off for tool-loop continuations: the signed
 * thinking block Claude then requires cannot travel in OpenAI-format history.
 */
function thinkingSettings(body: ChatCompletionRequest, vendor: string, toolLoop: boolean) {
  if (vendor !== "anthropic" || toolLoop)
    return { maxTokens: body.max_completion_tokens ?? body.max_tokens ?? undefined };
  const tokens = resolveTokenSettings(body);
  if (!tokens.thinking) return { maxTokens: body.max_completion_tokens ?? body.max_tokens ?? undefined };
  return { maxTokens: tokens.max_tokens, thinking: tokens.thinking };
}

/**
 * temperature is clamped to 1 (the top of the range of every Converse model family; OpenAI's goes to 2); with
 * Claude's thinking on, temperature and top_p are dropped (Claude refuses them then). seed and penalties have no
 * Converse equivalent and are dropped.
 */
function inferenceConfig(
  body: ChatCompletionRequest,
  maxTokens: number | undefined,
  thinking: boolean,
): InferenceConfig | undefined {
  const config: InferenceConfig = {};
  if (maxTokens !== undefined) config.maxTokens = maxTokens;
  if (!thinking && body.temperature != null) config.temperature = Math.min(body.temperature, 1);
  if (!thinking && body.top_p != null) config.topP = body.top_p;
  const stop = stopSequences(body.stop);
  if (stop) config.stopSequences = stop;
  return Object.keys(config).length > 0 ? config : undefined;
}

/** `top_k` (not an OpenAI field, sent by Portkey users) and the caller's own `additional_model_request_fields`. */
function additionalFields(
  body: ChatCompletionRequest,
  vendor: string,
  thinking: unknown,
): Record<string, unknown> | undefined {
  const own: unknown = body.additional_model_request_fields;
  if (own !== undefined && !isRecord(own)) {
    throw new UnsupportedParameterError(
      "additional_model_request_fields",
      "additional_model_request_fields must be a JSON object",
      "invalid_parameter",
    );
  }
  const fields: Record<string, unknown> = { ...own };
  const topK: unknown = body.top_k;
  if (topK !== undefined && topK !== null) {
    if (typeof topK !== "number" || !Number.isInteger(topK) || topK < 1) {
      throw new UnsupportedParameterError("top_k", "top_k must be a positive integer", "invalid_parameter");
    }
    // Amazon Nova reads it from its own inferenceConfig; Claude, Mistral, Cohere and Llama-style models as top_k.
    if (vendor === "amazon") fields.inferenceConfig = { topK };
    else fields.top_k = topK;
  }
  if (thinking) fields.thinking = thinking;
  return Object.keys(fields).length > 0 ? fields : undefined;
}

/** OpenAI chat request -> Converse request body (the same for Converse and ConverseStream). */
export function toConverseBody(body: ChatCompletionRequest): ConverseRequestBody {
  if (body.n != null && body.n > 1)
    throw new UnsupportedParameterError("n", "Bedrock returns one choice per request: n must be 1");
  const vendor = modelVendor(body.model);
  const { system, messages, hasToolBlocks } = convertMessages(body.messages);
  const { maxTokens, thinking } = thinkingSettings(body, vendor, hasToolBlocks);
  if (body.response_format?.type === "json_object") system.push({ text: JSON_OBJECT_INSTRUCTION });
  const json = jsonSchemaTool(body, (body.tools?.length ?? 0) > 0, thinking !== undefined);
  if (json?.instruction) system.push({ text: json.instruction });

  const out: ConverseRequestBody = { messages };
  if (system.length > 0) out.system = system;
  const config = inferenceConfig(body, maxTokens, thinking !== undefined);
  if (config) out.inferenceConfig = config;
  const toolConfig = buildToolConfig(body, hasToolBlocks, json);
  if (toolConfig) out.toolConfig = toolConfig;
  const additional = additionalFields(body, vendor, thinking);
  if (additional) out.additionalModelRequestFields = additional;
  return out;
}

export function buildBedrockChatRequest(body: ChatCompletionRequest, target: ResolvedTarget): UpstreamCall {
  const operation = body.stream ? "converse-stream" : "converse";
  const call: UpstreamCall = {
    url: bedrockUrl(target, body.model, operation),
    headers: {
      "content-type": "application/json",
      accept: body.stream ? "application/vnd.amazon.eventstream" : "application/json",
    },
    body: JSON.stringify(toConverseBody(body)),
  };
  return withBedrockAuth(call, target);
}
