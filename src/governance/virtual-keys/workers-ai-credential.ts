import type { ProviderId } from "../../../schema/provider-ids";
import { urlFieldProblem } from "../../../schema/url-fields";
import { badRequest } from "../../errors";
import type { ProviderCredential } from "../../vault/credential";

/**
 * A Workers AI virtual key for the REST API stores the Cloudflare account id next to the API token, sealed with
 * it: the URL is then `https://api.cloudflare.com/client/v4/accounts/{id}/ai/run/{model}` with no custom_host
 * (and so no CUSTOM_HOST_ALLOWLIST entry). The id is a path segment, so it is held to its pattern here and again
 * when the URL is built. Other providers take no cloudflare_account_id.
 */
export function checkWorkersAiCredential(
  provider: ProviderId,
  accountId: string | null | undefined,
  credential: ProviderCredential,
): void {
  if (!accountId) return;
  if (provider !== "workers-ai") {
    throw badRequest(
      `cloudflare_account_id only applies to workers-ai, not ${provider}`,
      "cloudflare_account_id",
      "invalid_request",
    );
  }
  const problem = urlFieldProblem("cloudflareAccountId", accountId);
  if (problem) throw badRequest(`cloudflare_account_id: ${problem}`, "cloudflare_account_id", "invalid_parameter");
  credential.cloudflare_account_id = accountId;
}
