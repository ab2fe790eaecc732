import type { ChatCompletionRequest, FunctionTool, ResponseFormat, ToolChoice } from "../../schema/openai-request";
import { UnsupportedParameterError } from "../types";
import { readCacheControl } from "./content";
import { isJsonTool, JSON_TOOL_PREFIX, jsonToolDescription, jsonToolInstruction, jsonToolName } from "./json-tool";
import type { ToolChoiceParam, ToolParam } from "./request-types";

export interface ToolConfig {
  tools?: ToolParam[];
  tool_choice?: ToolChoiceParam;
  /** A system instruction the tool setup needs (json_schema emulation under extended thinking). */
  instruction?: string;
}

const EMPTY_OBJECT_SCHEMA: Record<string, unknown> = { type: "object", properties: {} };

function clientTool(tool: FunctionTool, i: number): ToolParam {
  const { name, description, parameters } = tool.function;
  if (isJsonTool(name)) {
    throw new UnsupportedParameterError(
      `tools[${i}].function.name`,
      `tool names starting with "${JSON_TOOL_PREFIX}" are reserved by the gateway for json_schema responses on Anthropic`,
    );
  }
  const out: ToolParam = { name, input_schema: parameters ?? EMPTY_OBJECT_SCHEMA };
  if (description !== undefined) out.description = description;
  const cacheControl = readCacheControl(tool.cache_control, `tools[${i}].cache_control`);
  if (cacheControl) out.cache_control = cacheControl;
  return out;
}

type JsonSchemaFormat = Extract<ResponseFormat, { type: "json_schema" }>;

/** The forced tool that stands in for `response_format: json_schema` (see json-tool.ts for why). */
function jsonSchemaTool(format: JsonSchemaFormat): ToolParam {
  const { name, description, schema } = format.json_schema;
  if (schema !== undefined && schema.type !== undefined && schema.type !== "object") {
    throw new UnsupportedParameterError(
      "response_format.json_schema.schema",
      "the schema's root must be an object (Anthropic tool input schemas are objects)",
    );
  }
  return {
    name: jsonToolName(name),
    description: jsonToolDescription(description),
    input_schema: schema ?? EMPTY_OBJECT_SCHEMA,
  };
}

/** Extended thinking only allows tool_choice auto or none (Anthropic refuses forced tool use with thinking). */
function assertThinkingCompatible(choice: ToolChoice | undefined): void {
  if (choice === "required" || typeof choice === "object") {
    throw new UnsupportedParameterError(
      "tool_choice",
      'Anthropic cannot force tool use with extended thinking: use tool_choice "auto" or "none", or drop reasoning_effort',
    );
  }
}

/** OpenAI tool_choice -> Anthropic: auto -> auto, required -> any, none -> none, a named function -> tool. */
function mapClientChoice(choice: ToolChoice | undefined, disableParallel: boolean): ToolChoiceParam | undefined {
  const parallel = disableParallel ? { disable_parallel_tool_use: true } : {};
  if (choice === "none") return { type: "none" };
  if (choice === "required") return { type: "any", ...parallel };
  if (typeof choice === "object") return { type: "tool", name: choice.function.name, ...parallel };
  if (choice === "auto" || disableParallel) return { type: "auto", ...parallel };
  return undefined;
}

/**
 * With a json_schema response format the answer must arrive through the emulation tool:
 * - no client tools, or tool_choice "none": force the json tool (one call: parallel use disabled);
 * - client tools with tool_choice auto/required: "any", so the model either calls one of the client's tools or
 *   answers through the json tool (required cannot exclude the json tool: a documented approximation);
 * - a named client tool: force that tool, as asked;
 * - extended thinking (no forced tool use possible): "auto" plus a system instruction to answer with the tool.
 */
function jsonSchemaChoice(
  jsonTool: string,
  body: ChatCompletionRequest,
  hasClientTools: boolean,
  thinking: boolean,
): Pick<ToolConfig, "tool_choice" | "instruction"> {
  const parallel = body.parallel_tool_calls === false ? { disable_parallel_tool_use: true } : {};
  if (thinking) return { tool_choice: { type: "auto", ...parallel }, instruction: jsonToolInstruction(jsonTool) };
  const choice = body.tool_choice;
  if (!hasClientTools || choice === "none") {
    return { tool_choice: { type: "tool", name: jsonTool, disable_parallel_tool_use: true } };
  }
  if (typeof choice === "object") return { tool_choice: { type: "tool", name: choice.function.name, ...parallel } };
  return { tool_choice: { type: "any", ...parallel } };
}

/** tools, tool_choice and parallel_tool_calls, plus the json_schema emulation tool. */
export function buildToolConfig(body: ChatCompletionRequest, thinking: boolean): ToolConfig {
  const tools = (body.tools ?? []).map(clientTool);
  const hasClientTools = tools.length > 0;
  if (thinking && hasClientTools) assertThinkingCompatible(body.tool_choice);
  const format = body.response_format;
  if (format?.type === "json_schema") {
    const jsonTool = jsonSchemaTool(format);
    return { tools: [...tools, jsonTool], ...jsonSchemaChoice(jsonTool.name, body, hasClientTools, thinking) };
  }
  // tool_choice and parallel_tool_calls mean nothing without tools (and Anthropic rejects tool_choice alone).
  if (!hasClientTools) return {};
  const choice = mapClientChoice(body.tool_choice, body.parallel_tool_calls === false);
  return choice ? { tools, tool_choice: choice } : { tools };
}
