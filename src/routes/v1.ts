import { Hono } from "hono";
import type { AppContext, AppEnv } from "../context";
import { listModels, retrieveModel } from "../pipeline/models";
import { routeRequest } from "../routing";
import type { OperationName } from "../routing/request";

/** Routes stay thin: the routing engine resolves the config, reads the body and runs the strategies. */
function handle(operation: OperationName) {
  return (c: AppContext) => routeRequest(c, operation);
}

export const v1 = new Hono<AppEnv>()
  .post("/chat/completions", handle("chat"))
  .post("/completions", handle("completions"))
  .post("/embeddings", handle("embeddings"))
  .get("/models", listModels)
  // Model ids may contain "/" (`meta-llama/Llama-3`, `@virtual-key/model`): the parameter takes the rest of the path.
  .get("/models/:id{.+}", retrieveModel);
