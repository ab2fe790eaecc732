import type { ChatCompletionRequest, FunctionTool } from "../../schema/openai-request";
import { readCacheControl } from "../anthropic/content";
import { CACHE_POINT } from "./content";
import { assertClientToolName, type JsonSchemaTool } from "./json-schema";
import type { CachePointBlock, ConverseRequestBody, ToolChoice, ToolSpec } from "./request-types";

const EMPTY_OBJECT_SCHEMA: Record<string, unknown> = { type: "object", properties: {} };

function toolSpec(tool: FunctionTool, i: number): Array<ToolSpec | CachePointBlock> {
  const { name, description, parameters } = tool.function;
  assertClientToolName(name, i);
  const spec: ToolSpec = { toolSpec: { name, inputSchema: { json: parameters ?? EMPTY_OBJECT_SCHEMA } } };
  if (description !== undefined) spec.toolSpec.description = description;
  return readCacheControl(tool.cache_control, `tools[${i}].cache_control`) ? [spec, CACHE_POINT] : [spec];
}

/** auto -> auto, required -> any, a named function -> tool; "none" has no Converse equivalent (see below). */
function toolChoice(choice: ChatCompletionRequest["tool_choice"]): ToolChoice | undefined {
  if (choice === "required") return { any: {} };
  if (typeof choice === "object") return { tool: { name: choice.function.name } };
  if (choice === "auto") return { auto: {} };
  return undefined;
}

/**
 * tools and tool_choice -> `toolConfig`. Converse has no "none": with tool_choice "none" the tools are left out,
 * except when the conversation already holds toolUse / toolResult blocks, for which Converse requires a
 * toolConfig; then the tools are sent with the model's default choice (a documented approximation).
 * parallel_tool_calls has no Converse equivalent and is dropped. A json_schema emulation tool (json-schema.ts)
 * joins the client's tools and brings its own choice.
 */
export function buildToolConfig(
  body: ChatCompletionRequest,
  hasToolBlocks: boolean,
  json?: JsonSchemaTool,
): ConverseRequestBody["toolConfig"] {
  const tools = (body.tools ?? []).flatMap(toolSpec);
  if (json)
    return json.choice ? { tools: [...tools, json.spec], toolChoice: json.choice } : { tools: [...tools, json.spec] };
  if (tools.length === 0) return undefined;
  if (body.tool_choice === "none" && !hasToolBlocks) return undefined;
  const choice = toolChoice(body.tool_choice);
  return choice ? { tools, toolChoice: choice } : { tools };
}
