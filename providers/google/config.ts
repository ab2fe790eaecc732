import type { ChatCompletionRequest, FunctionTool, ToolChoice } from "../../schema/openai-request";
import { toGeminiSchema } from "./json-schema";
import type {
  GeminiFunctionDeclaration,
  GeminiGenerationConfig,
  GeminiThinkingConfig,
  GeminiToolConfig,
} from "./wire-request";

/**
 * `reasoning_effort` -> `thinkingConfig.thinkingBudget` (tokens). low/medium/high follow the budgets Google uses
 * for its own OpenAI-compatible endpoint (1024 / 8192 / 24576); "minimal" turns thinking off (budget 0), which
 * models that cannot stop thinking (2.5 Pro) reject with a 400. Thought summaries are requested with
 * `includeThoughts` and come back as `reasoning_content`. Without `reasoning_effort` the model's default applies.
 */
export const THINKING_BUDGETS = { minimal: 0, low: 1024, medium: 8192, high: 24576 } as const;

export function toFunctionDeclarations(tools: FunctionTool[]): GeminiFunctionDeclaration[] {
  return tools.map((tool) => {
    const declaration: GeminiFunctionDeclaration = { name: tool.function.name };
    if (tool.function.description !== undefined) declaration.description = tool.function.description;
    const parameters = tool.function.parameters;
    // Gemini rejects an object schema without properties; a function without parameters simply omits them.
    if (parameters && !(parameters.type === "object" && isEmptyObject(parameters.properties))) {
      declaration.parameters = toGeminiSchema(parameters);
    }
    return declaration;
  });
}

function isEmptyObject(value: unknown): boolean {
  return value === undefined || (typeof value === "object" && value !== null && Object.keys(value).length === 0);
}

/** auto -> AUTO, none -> NONE, required -> ANY, a named function -> ANY restricted to that name. */
export function toToolConfig(choice: ToolChoice): GeminiToolConfig {
  if (choice === "auto") return { functionCallingConfig: { mode: "AUTO" } };
  if (choice === "none") return { functionCallingConfig: { mode: "NONE" } };
  if (choice === "required") return { functionCallingConfig: { mode: "ANY" } };
  return { functionCallingConfig: { mode: "ANY", allowedFunctionNames: [choice.function.name] } };
}

function thinkingConfig(effort: NonNullable<ChatCompletionRequest["reasoning_effort"]>): GeminiThinkingConfig {
  const thinkingBudget = THINKING_BUDGETS[effort];
  return thinkingBudget === 0 ? { thinkingBudget } : { thinkingBudget, includeThoughts: true };
}

/**
 * Sampling and output parameters. `user` has no Gemini equivalent and is dropped; so is `parallel_tool_calls`
 * (Gemini decides on its own whether to call several functions at once).
 */
export function toGenerationConfig(body: ChatCompletionRequest): GeminiGenerationConfig | undefined {
  const config: GeminiGenerationConfig = {};
  if (body.temperature != null) config.temperature = body.temperature;
  if (body.top_p != null) config.topP = body.top_p;
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  if (maxTokens != null) config.maxOutputTokens = maxTokens;
  if (body.stop != null) config.stopSequences = typeof body.stop === "string" ? [body.stop] : body.stop;
  if (body.seed != null) config.seed = body.seed;
  if (body.n != null) config.candidateCount = body.n;
  if (body.presence_penalty != null) config.presencePenalty = body.presence_penalty;
  if (body.frequency_penalty != null) config.frequencyPenalty = body.frequency_penalty;
  const format = body.response_format;
  if (format?.type === "json_object") config.responseMimeType = "application/json";
  if (format?.type === "json_schema") {
    config.responseMimeType = "application/json";
    // responseJsonSchema takes JSON Schema as is ($ref, additionalProperties, ...), unlike the OpenAPI-subset
    // responseSchema, so the client's schema is forwarded untouched.
    if (format.json_schema.schema) config.responseJsonSchema = format.json_schema.schema;
  }
  if (body.reasoning_effort != null) config.thinkingConfig = thinkingConfig(body.reasoning_effort);
  return Object.keys(config).length > 0 ? config : undefined;
}
