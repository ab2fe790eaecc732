import { Hono } from "hono";
import {
  chatCompletionRequestSchema,
  completionRequestSchema,
  embeddingsRequestSchema,
} from "../../schema/openai-request";
import type { AppContext, AppEnv } from "../context";
import { attempt, type OperationRequest } from "../pipeline/attempt";
import { readJsonBody } from "../pipeline/body";
import { resolveTarget } from "../pipeline/target";

const schemas = {
  chat: chatCompletionRequestSchema,
  completions: completionRequestSchema,
  embeddings: embeddingsRequestSchema,
} as const;

/** Routes stay thin: resolve the target, read the body, hand both to the pipeline. */
function handle(operation: OperationRequest["operation"]) {
  return async (c: AppContext) => {
    const routed = resolveTarget(c);
    const body = await readJsonBody(c, schemas[operation], routed.overrideParams);
    c.var.outcome.requestedModel = body.model;
    return attempt(c, { operation, body } as OperationRequest, routed);
  };
}

export const v1 = new Hono<AppEnv>()
  .post("/chat/completions", handle("chat"))
  .post("/completions", handle("completions"))
  .post("/embeddings", handle("embeddings"));
