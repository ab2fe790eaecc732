import { UnsupportedParameterError, type ResolvedTarget } from "../types";

export const CLOUDFLARE_API_BASE = "https://api.cloudflare.com/client/v4";

/** `@cf/<org>/<model>` or `@hf/<org>/<model>`: path segments of letters, digits, '.', '_' and '-' only. */
const MODEL_ID = /^@(cf|hf)\/[A-Za-z0-9][A-Za-z0-9._-]{0,63}\/[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
/** Cloudflare account ids are 32 hex digits. */
const ACCOUNT_ID = /^[0-9a-f]{32}$/;

export function workersAiModel(model: string): string {
  if (!MODEL_ID.test(model)) {
    throw new UnsupportedParameterError(
      "model",
      "model: must be a Workers AI model id such as @cf/meta/llama-3.1-8b-instruct",
      "invalid_parameter",
    );
  }
  return model;
}

/**
 * The REST endpoint `{base}/accounts/{account_id}/ai/run/{model}`. A custom_host replaces everything before
 * `/run` (it must then include the account: `https://api.cloudflare.com/client/v4/accounts/<id>/ai`), which is
 * how a virtual key stores its account.
 */
export function workersAiRestUrl(target: ResolvedTarget, model: string): string {
  const run = `/run/${workersAiModel(model)}`;
  if (target.customHost) return `${target.customHost.replace(/\/+$/, "")}${run}`;
  const account = target.cloudflareAccountId;
  if (!account || !ACCOUNT_ID.test(account)) {
    throw new UnsupportedParameterError(
      "x-portkey-workers-ai-account-id",
      "workers-ai with an API token needs the account id (32 hex digits) in x-portkey-workers-ai-account-id, a virtual key's cloudflare_account_id, or a custom_host ending in /accounts/<id>/ai",
      "invalid_parameter",
    );
  }
  return `${CLOUDFLARE_API_BASE}/accounts/${account}/ai${run}`;
}
