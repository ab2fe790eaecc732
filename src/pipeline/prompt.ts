import type { AppContext } from "../context";
import { inputGuardrails, outputGuardrails } from "./guardrails";
import { parseRequest, startReadingBody } from "./parse";
import { PROMPT_VERSION_HEADER, promptConfig, renderPromptRequest } from "./prompt-request";
import { resolveConfig } from "./resolve-config";
import { resolveTargets } from "./resolve-targets";
import { respond } from "./respond";
import { route } from "./route";

/**
 * POST /v1/prompts/{id}/completions: the prompt is rendered into a chat request, which then takes the same steps as
 * /v1/chat/completions (src/pipeline/index.ts handleV1), in the same order: parse (metadata, the outcome), config
 * (the version's virtual key or config, else the request's x-portkey-config or the key's default), targets, input
 * guardrails, route (cache, limits, budgets, the provider), output guardrails, respond. Logging, Server-Timing and
 * authentication already ran as /v1 middleware.
 */
export async function handlePromptCompletions(c: AppContext): Promise<Response> {
  const { prepared, chat } = await renderPromptRequest(c, startReadingBody(c));
  const config = (await promptConfig(c, prepared)) ?? (await resolveConfig(c));
  const request = await parseRequest(c, Promise.resolve(chat));
  const targets = await resolveTargets(c, config, request);
  await inputGuardrails(c, "chat", config, request, targets);
  const answer = await route(c, "chat", request, targets);
  const response = respond(c, await outputGuardrails(c, answer), targets.hasConfig);
  response.headers.set(PROMPT_VERSION_HEADER, String(prepared.chosen.version));
  return response;
}

/** POST /v1/prompts/{id}/render: the chat request the prompt would send, without calling a provider. */
export async function handlePromptRender(c: AppContext): Promise<Response> {
  const { chat } = await renderPromptRequest(c, startReadingBody(c));
  await parseRequest(c, Promise.resolve(chat)); // metadata and the requested model, for the log row
  return c.json({ success: true, data: chat });
}
