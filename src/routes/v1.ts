import { Hono } from "hono";
import type { AppContext, AppEnv } from "../context";
import { listModels, retrieveModel } from "../pipeline/models";
import { handleV1 } from "../pipeline";
import type { OperationName } from "../routing/request";

/** Routes stay thin: the pipeline (src/pipeline/index.ts) does the work. */
function handle(operation: OperationName) {
  return (c: AppContext) => handleV1(c, operation);
}

export const v1 = new Hono<AppEnv>()
  .post("/chat/completions", handle("chat"))
  .post("/completions", handle("completions"))
  .post("/embeddings", handle("embeddings"))
  .get("/models", listModels)
  // Model ids may contain "/" (`meta-llama/Llama-3`, `@virtual-key/model`): the parameter takes the rest of the path.
  .get("/models/:id{.+}", retrieveModel);
