import {
  chatCompletionRequestSchema,
  completionRequestSchema,
  embeddingsRequestSchema,
} from "../../schema/openai-request";
import type { OperationRequest } from "../pipeline/attempt";
import { validateJsonBody } from "../pipeline/body";

export type OperationName = OperationRequest["operation"];

/**
 * The body one target gets: the client's JSON (read once) with the target's merged override_params on top,
 * validated with the operation's schema, so an override cannot smuggle in an invalid request.
 */
export function operationRequest(operation: OperationName, json: unknown, overrides?: Record<string, unknown>): OperationRequest {
  switch (operation) {
    case "chat":
      return { operation, body: validateJsonBody(chatCompletionRequestSchema, json, overrides) };
    case "completions":
      return { operation, body: validateJsonBody(completionRequestSchema, json, overrides) };
    case "embeddings":
      return { operation, body: validateJsonBody(embeddingsRequestSchema, json, overrides) };
  }
}

/** The model a target would be asked for, without validating anything (for the attempt trail). */
export function modelFor(json: unknown, overrides?: Record<string, unknown>): string | undefined {
  const model = overrides?.model ?? (typeof json === "object" && json !== null && "model" in json ? json.model : undefined);
  return typeof model === "string" ? model : undefined;
}
