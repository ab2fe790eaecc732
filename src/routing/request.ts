import {
  chatCompletionRequestSchema,
  completionRequestSchema,
  embeddingsRequestSchema,
  type ChatCompletionRequest,
  type CompletionRequest,
  type EmbeddingsRequest,
} from "../../schema/openai-request";
import { rawTextOf, validateJsonBody } from "../lib/body";

/** `raw`: the client's exact JSON text when it equals `body` (no override changed it); adapters may forward it. */
export type OperationRequest =
  | { operation: "chat"; body: ChatCompletionRequest; raw?: string | undefined }
  | { operation: "completions"; body: CompletionRequest; raw?: string | undefined }
  | { operation: "embeddings"; body: EmbeddingsRequest; raw?: string | undefined };

export type OperationName = OperationRequest["operation"];

/**
 * The body one target gets: the client's JSON (read once) with the target's merged override_params on top,
 * validated with the operation's schema, so an override cannot smuggle in an invalid request.
 */
export function operationRequest(
  operation: OperationName,
  json: unknown,
  overrides?: Record<string, unknown>,
): OperationRequest {
  // Without overrides the validated body says exactly what the client's text says: keep the text to forward.
  const raw = overrides ? undefined : rawTextOf(json);
  switch (operation) {
    case "chat":
      return { operation, body: validateJsonBody(chatCompletionRequestSchema, json, overrides), raw };
    case "completions":
      return { operation, body: validateJsonBody(completionRequestSchema, json, overrides), raw };
    case "embeddings":
      return { operation, body: validateJsonBody(embeddingsRequestSchema, json, overrides), raw };
  }
}

/** The model a target would be asked for, without validating anything (for the attempt trail). */
export function modelFor(json: unknown, overrides?: Record<string, unknown>): string | undefined {
  const model =
    overrides?.model ?? (typeof json === "object" && json !== null && "model" in json ? json.model : undefined);
  return typeof model === "string" ? model : undefined;
}
