import type { AppContext } from "../context";
import type { RoutingConfig } from "../../schema/config";
import { handleV1 } from "./index";
import { parseRequest, startReadingBody } from "./parse";
import { PROMPT_VERSION_HEADER, promptConfig, renderPromptRequest } from "./prompt-request";

type RenderedPromptRequest = Awaited<ReturnType<typeof renderPromptRequest>>;

/**
 * A rendered prompt through handleV1's steps (src/pipeline/index.ts), the same list as /v1/chat/completions:
 * parse, targets, input guardrails, route (cache, limits, budgets, the provider), output guardrails, respond. The
 * prompt supplies only the chat request and its routing: `config` when given (the dashboard playground's chosen
 * virtual key), else the version's virtual key or config, else null, so handleV1 resolves the request's
 * x-portkey-config or the key's default as for any chat request.
 */
export async function completeRenderedPrompt(
  c: AppContext,
  rendered: RenderedPromptRequest,
  config?: RoutingConfig,
): Promise<Response> {
  const routing = config ?? (await promptConfig(c, rendered.prepared));
  const response = await handleV1(c, "chat", undefined, { json: rendered.chat, config: routing });
  response.headers.set(PROMPT_VERSION_HEADER, String(rendered.prepared.chosen.version));
  return response;
}

/** POST /v1/prompts/{id}/completions: the prompt rendered into a chat request, run as one. */
export async function handlePromptCompletions(c: AppContext): Promise<Response> {
  return completeRenderedPrompt(c, await renderPromptRequest(c, startReadingBody(c)));
}

/** POST /v1/prompts/{id}/render: the chat request the prompt would send, without calling a provider. */
export async function handlePromptRender(c: AppContext): Promise<Response> {
  const { chat } = await renderPromptRequest(c, startReadingBody(c));
  await parseRequest(c, Promise.resolve(chat)); // metadata and the requested model, for the log row
  return c.json({ success: true, data: chat });
}
