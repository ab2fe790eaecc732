/**
 * `response_format: {type: "json_schema"}` emulation.
 *
 * Anthropic's native structured outputs (`output_format`) is a beta behind an `anthropic-beta` header and limited
 * to some models, so we emulate instead, the way Anthropic's own docs suggest for JSON output with tools: the
 * schema becomes the input schema of one extra tool, tool_choice forces that tool, and the response maps the
 * tool's `input` back to `message.content` as JSON text with finish_reason "stop". Streams do the same with the
 * tool's `input_json_delta`s, which become `delta.content`.
 *
 * The response and stream mappers are not given the request, so the tool is recognised by a reserved name
 * prefix; request mapping refuses client tools that use the prefix, which keeps the recognition unambiguous.
 */

export const JSON_TOOL_PREFIX = "json_response__";

/** Anthropic tool names: `^[a-zA-Z0-9_-]{1,64}$` (OpenAI schema names follow the same rule). */
const MAX_TOOL_NAME = 64;

export function jsonToolName(schemaName: string): string {
  const safe = schemaName.replace(/[^a-zA-Z0-9_-]/g, "_") || "answer";
  return (JSON_TOOL_PREFIX + safe).slice(0, MAX_TOOL_NAME);
}

export function isJsonTool(name: string): boolean {
  return name.startsWith(JSON_TOOL_PREFIX);
}

export function jsonToolDescription(description: string | undefined): string {
  const lead = "Give your final answer by calling this tool; its input is the answer, as JSON matching the schema.";
  return description ? `${lead}\n\n${description}` : lead;
}

/** For `response_format: {type: "json_object"}`: Anthropic has no JSON mode, so we ask in the system prompt. */
export const JSON_OBJECT_INSTRUCTION =
  "Respond only with a single valid JSON object. Do not write anything before or after the JSON object, and do not wrap it in a code block.";

/** With extended thinking, tool_choice cannot force a tool; the instruction carries the requirement instead. */
export function jsonToolInstruction(toolName: string): string {
  return `When you have your final answer, call the tool "${toolName}" with the answer as its input. Do not answer in plain text.`;
}
