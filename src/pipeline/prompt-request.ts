import { parseRoutingConfig, type RoutingConfig } from "../../schema/config";
import { promptRunBodySchema } from "../../schema/prompts";
import type { AppContext } from "../context";
import { badRequest } from "../errors";
import { withKeyMetadata } from "../governance/request";
import { validateJsonBody } from "../lib/body";
import { preparePrompt, type PreparedPrompt } from "../prompts/run";
import type { RandomSource } from "../prompts/weighted";
import { parseMetadata } from "../routing/metadata";
import { configFromRef } from "./resolve-config";

/** The header that says which version of a prompt answered (a weighted label draws one per user). */
export const PROMPT_VERSION_HEADER = "x-portkey-prompt-version";

/**
 * Who the request is for, before parse runs: metadata `_user`, else the gateway key's user (the same rule the log
 * uses), so a weighted label shows one user one variant. withKeyMetadata records it on the outcome as parse would.
 */
function endUser(c: AppContext): string | null {
  withKeyMetadata(c, parseMetadata(c.req.header("x-portkey-metadata")));
  return c.var.outcome.governance.user ?? null;
}

/** The rendered chat request: version params under the request's own, the template's messages before any sent. */
export function chatRequestOf(prepared: PreparedPrompt, rest: Record<string, unknown>): Record<string, unknown> {
  const { version, messages } = prepared;
  const extra = Array.isArray(rest.messages) ? (rest.messages as unknown[]) : [];
  const chat: Record<string, unknown> = {
    ...(version.model === undefined ? {} : { model: version.model }),
    ...version.params,
    ...rest,
  };
  chat.messages = [...messages, ...extra];
  return chat;
}

/**
 * The prompt step of /v1/prompts/{id}/...: validate the body, choose and render the version, note it for the log
 * and the response header. Returns the chat request every later pipeline step works on.
 */
export async function renderPromptRequest(c: AppContext, body: Promise<unknown>, random: RandomSource = Math.random) {
  // The portkey-ai SDK's prompts.render sends its promptID in the body too (as `prompt_id`): the path names the
  // prompt, so it is dropped rather than passed on as a chat parameter a provider would refuse.
  const { variables, prompt_id: _sdkPromptId, ...rest } = validateJsonBody(promptRunBodySchema, await body);
  const prepared = await preparePrompt(c.env, c.req.param("id") ?? "", variables ?? {}, { user: endUser(c), random });
  const { chosen } = prepared;
  c.var.outcome.prompt = {
    id: prepared.prompt.id,
    version: chosen.version,
    label: chosen.label,
    variables: variables ?? {},
  };
  // On c as well as on the answer: error responses (rendered by app.ts onError through c) carry it too.
  c.header(PROMPT_VERSION_HEADER, String(prepared.chosen.version));
  return { prepared, chat: chatRequestOf(prepared, rest) };
}

function validConfig(json: unknown): RoutingConfig {
  const result = parseRoutingConfig(json);
  if (!result.success) throw badRequest(`prompt config: ${result.message}`, "config", "invalid_config");
  return result.data;
}

/** The version's own routing (a virtual key, a saved config, an inline config), or null to use the request's. */
export async function promptConfig(c: AppContext, prepared: PreparedPrompt): Promise<RoutingConfig | null> {
  const { virtualKey, config } = prepared.version;
  if (virtualKey !== undefined) return validConfig({ virtual_key: virtualKey });
  if (typeof config === "string") return configFromRef(c, config);
  if (config !== undefined) return validConfig(config);
  return null;
}
