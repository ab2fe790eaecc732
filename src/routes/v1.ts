import { Hono } from "hono";
import type { AppContext, AppEnv } from "../context";
import { listModels, retrieveModel } from "../pipeline/models";
import { handleV1 } from "../pipeline";
import { countTokens } from "../pipeline/inbound/count-tokens";
import { MessagesInbound } from "../pipeline/inbound/messages";
import { ResponsesInbound } from "../pipeline/inbound/responses";
import { deleteResponse, getStoredResponse, listInputItems } from "../pipeline/inbound/responses-read";
import { handlePromptCompletions, handlePromptRender } from "../pipeline/prompt";
import type { OperationName } from "../routing/request";

/** Routes stay thin: the pipeline (src/pipeline/index.ts) does the work. */
function handle(operation: OperationName) {
  return (c: AppContext) => handleV1(c, operation);
}

export const v1 = new Hono<AppEnv>()
  .post("/chat/completions", handle("chat"))
  .post("/completions", handle("completions"))
  .post("/embeddings", handle("embeddings"))
  // Anthropic's Messages API in front of any provider (pipeline/inbound/messages.ts).
  .post("/messages", (c) => handleV1(c, "chat", new MessagesInbound()))
  .post("/messages/count_tokens", countTokens)
  // OpenAI's Responses API in front of any provider, with stored responses (pipeline/inbound/responses*.ts).
  .post("/responses", (c) => handleV1(c, "chat", new ResponsesInbound(c)))
  .get("/responses/:id/input_items", listInputItems)
  .get("/responses/:id", getStoredResponse)
  .delete("/responses/:id", deleteResponse)
  // The prompt registry: render a saved prompt, then run it as a chat request (pipeline/prompt.ts).
  .post("/prompts/:id/completions", handlePromptCompletions)
  .post("/prompts/:id/render", handlePromptRender)
  .get("/models", listModels)
  // Model ids may contain "/" (`meta-llama/Llama-3`, `@virtual-key/model`): the parameter takes the rest of the path.
  .get("/models/:id{.+}", retrieveModel);
