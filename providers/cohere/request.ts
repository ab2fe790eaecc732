import type { ChatCompletionRequest, FunctionTool, ResponseFormat, ToolChoice } from "../../schema/openai-request";
import { UnsupportedParameterError, type ResolvedTarget, type UpstreamCall } from "../types";
import { toCohereMessages, type CohereMessage } from "./messages";
import { cohereHeaders, cohereUrl } from "./urls";

/**
 * OpenAI chat request -> Cohere `POST /v2/chat`. Renamed: top_p -> p, stop -> stop_sequences,
 * max_completion_tokens -> max_tokens; a `top_k` the client adds (OpenAI has none) becomes `k`. Dropped (no
 * equivalent): user, logit_bias, reasoning_effort, parallel_tool_calls. `n > 1` is a 400: Cohere answers once.
 */
export interface CohereChatRequest {
  model: string;
  messages: CohereMessage[];
  stream?: boolean;
  tools?: Array<{
    type: "function";
    function: { name: string; description?: string; parameters?: Record<string, unknown> };
  }>;
  tool_choice?: "REQUIRED" | "NONE";
  temperature?: number;
  p?: number;
  k?: number;
  max_tokens?: number;
  stop_sequences?: string[];
  seed?: number;
  frequency_penalty?: number;
  presence_penalty?: number;
  response_format?: { type: "json_object"; json_schema?: Record<string, unknown> };
}

function cohereTools(tools: readonly FunctionTool[], choice: ToolChoice | undefined): CohereChatRequest["tools"] {
  // Cohere cannot force one named tool: offering only that tool with REQUIRED has the same effect.
  const named = typeof choice === "object" ? choice.function.name : undefined;
  const offered = named === undefined ? tools : tools.filter((tool) => tool.function.name === named);
  if (offered.length === 0)
    throw new UnsupportedParameterError("tool_choice", `tool_choice names "${named}", which is not among tools`);
  return offered.map(({ function: fn }) => ({
    type: "function",
    function: {
      name: fn.name,
      ...(fn.description ? { description: fn.description } : {}),
      ...(fn.parameters ? { parameters: fn.parameters } : {}),
    },
  }));
}

function toolChoice(choice: ToolChoice | undefined): CohereChatRequest["tool_choice"] {
  if (choice === "required" || typeof choice === "object") return "REQUIRED";
  if (choice === "none") return "NONE";
  return undefined;
}

function responseFormat(format: ResponseFormat | undefined): CohereChatRequest["response_format"] {
  if (format?.type === "json_object") return { type: "json_object" };
  if (format?.type === "json_schema") {
    const schema = format.json_schema.schema;
    return schema ? { type: "json_object", json_schema: schema } : { type: "json_object" };
  }
  return undefined;
}

/** Copy the numeric sampling settings that are set (null means unset in OpenAI's API). */
function sampling(body: ChatCompletionRequest, out: CohereChatRequest): void {
  const topK: unknown = (body as Record<string, unknown>).top_k;
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  if (body.temperature != null) out.temperature = body.temperature;
  if (body.top_p != null) out.p = body.top_p;
  if (typeof topK === "number") out.k = topK;
  if (maxTokens != null) out.max_tokens = maxTokens;
  if (body.seed != null) out.seed = body.seed;
  if (body.frequency_penalty != null) out.frequency_penalty = body.frequency_penalty;
  if (body.presence_penalty != null) out.presence_penalty = body.presence_penalty;
  if (body.stop != null) out.stop_sequences = typeof body.stop === "string" ? [body.stop] : [...body.stop];
}

export function toCohereChatRequest(body: ChatCompletionRequest): CohereChatRequest {
  if (body.n != null && body.n > 1) throw new UnsupportedParameterError("n", "cohere returns one choice: n must be 1");
  const out: CohereChatRequest = { model: body.model, messages: toCohereMessages(body.messages) };
  if (body.stream) out.stream = true;
  sampling(body, out);
  if (body.tools?.length) {
    out.tools = cohereTools(body.tools, body.tool_choice);
    const choice = toolChoice(body.tool_choice);
    if (choice) out.tool_choice = choice;
  }
  const format = responseFormat(body.response_format);
  if (format) out.response_format = format;
  return out;
}

export function buildCohereChatRequest(body: ChatCompletionRequest, target: ResolvedTarget): UpstreamCall {
  const headers = cohereHeaders(target);
  if (body.stream) headers.accept = "text/event-stream";
  return { url: cohereUrl(target, "chat"), headers, body: JSON.stringify(toCohereChatRequest(body)) };
}
