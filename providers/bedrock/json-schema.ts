import type { ChatCompletionRequest, ResponseFormat } from "../../schema/openai-request";
import {
  isJsonTool,
  JSON_TOOL_PREFIX,
  jsonToolDescription,
  jsonToolInstruction,
  jsonToolName,
} from "../anthropic/json-tool";
import { UnsupportedParameterError } from "../types";
import type { ToolChoice, ToolSpec } from "./request-types";

/**
 * `response_format: {type: "json_schema"}` on Bedrock, emulated the way the Anthropic adapter does it
 * (providers/anthropic/json-tool.ts): Converse has no JSON mode common to its model families, but every family
 * with tool use accepts a tool whose input schema is the requested schema. The tool is forced, and the response
 * and stream mappers turn its input back into `content` (recognised by the reserved name prefix, since mappers do
 * not see the request). The same prefix is refused for client tools, so recognition stays unambiguous.
 */

type JsonSchemaFormat = Extract<ResponseFormat, { type: "json_schema" }>;

const EMPTY_OBJECT_SCHEMA: Record<string, unknown> = { type: "object", properties: {} };

export interface JsonSchemaTool {
  spec: ToolSpec;
  choice: ToolChoice | undefined;
  /** With Claude's extended thinking a tool cannot be forced: the system prompt asks for the tool instead. */
  instruction?: string;
}

export function assertClientToolName(name: string, i: number): void {
  if (!isJsonTool(name)) return;
  throw new UnsupportedParameterError(
    `tools[${i}].function.name`,
    `tool names starting with "${JSON_TOOL_PREFIX}" are reserved by the gateway for json_schema responses on Bedrock`,
  );
}

function toolSpecOf(format: JsonSchemaFormat): ToolSpec {
  const { name, description, schema } = format.json_schema;
  if (schema !== undefined && schema.type !== undefined && schema.type !== "object") {
    throw new UnsupportedParameterError(
      "response_format.json_schema.schema",
      "the schema's root must be an object (Bedrock tool input schemas are objects)",
    );
  }
  const json = schema ?? EMPTY_OBJECT_SCHEMA;
  return {
    toolSpec: { name: jsonToolName(name), description: jsonToolDescription(description), inputSchema: { json } },
  };
}

/**
 * Which tool the model must use: the json tool when the client has no tools (or said "none"); a client tool it
 * named; otherwise `any` (one of the client's tools, or the json tool for the final answer).
 */
function choiceWith(jsonTool: string, body: ChatCompletionRequest, hasClientTools: boolean): ToolChoice {
  const choice = body.tool_choice;
  if (!hasClientTools || choice === "none") return { tool: { name: jsonTool } };
  if (typeof choice === "object") return { tool: { name: choice.function.name } };
  return { any: {} };
}

/** The emulation tool for a json_schema request, or undefined for any other response format. */
export function jsonSchemaTool(
  body: ChatCompletionRequest,
  hasClientTools: boolean,
  thinking: boolean,
): JsonSchemaTool | undefined {
  const format = body.response_format;
  if (format?.type !== "json_schema") return undefined;
  const spec = toolSpecOf(format);
  const name = spec.toolSpec.name;
  if (thinking) return { spec, choice: { auto: {} }, instruction: jsonToolInstruction(name) };
  return { spec, choice: choiceWith(name, body, hasClientTools) };
}
