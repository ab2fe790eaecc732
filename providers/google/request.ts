import type { ChatCompletionRequest } from "../../schema/openai-request";
import { UnsupportedParameterError, type ResolvedTarget, type UpstreamCall } from "../types";
import { toFunctionDeclarations, toGenerationConfig, toToolConfig } from "./config";
import { convertMessages } from "./messages";
import { googleHeaders, googleUrl } from "./urls";
import type { GenerateContentRequest } from "./wire-request";

/** The `generateContent` body for an OpenAI chat request. */
export function toGenerateContentRequest(body: ChatCompletionRequest): GenerateContentRequest {
  const { contents, system } = convertMessages(body.messages);
  if (contents.length === 0) {
    throw new UnsupportedParameterError("messages", "google needs at least one non-empty user or assistant message");
  }
  const request: GenerateContentRequest = { contents };
  if (system.length > 0) request.systemInstruction = { parts: system };
  if (body.tools?.length) request.tools = [{ functionDeclarations: toFunctionDeclarations(body.tools) }];
  // Without declarations a toolConfig means nothing to Gemini (and may be refused), so it is only sent with tools.
  if (body.tools?.length && body.tool_choice !== undefined) request.toolConfig = toToolConfig(body.tool_choice);
  const generationConfig = toGenerationConfig(body);
  if (generationConfig) request.generationConfig = generationConfig;
  return request;
}

/**
 * `:generateContent`, or `:streamGenerateContent?alt=sse` for streams. Gemini reports usage on every stream chunk
 * unasked, so nothing extra is needed for cost accounting.
 */
export function buildChatRequest(body: ChatCompletionRequest, target: ResolvedTarget): UpstreamCall {
  return {
    url: googleUrl(target, body.model, body.stream ? "streamGenerateContent" : "generateContent"),
    headers: googleHeaders(target),
    body: JSON.stringify(toGenerateContentRequest(body)),
  };
}
