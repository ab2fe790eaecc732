import { urlFieldProblem } from "../../../schema/url-fields";
import { badRequest } from "../../errors";
import type { ProviderCredential } from "../../vault/credential";

/**
 * The Cloudflare account of a Workers AI virtual key: the stored one (checked again on use, like every stored URL
 * field), else the request's x-portkey-workers-ai-account-id. A request cannot point a stored account's token at
 * another account: a different header is a 400, as for an Azure resource.
 */
export function workersAiAccountOf(
  credential: ProviderCredential,
  headerAccount: string | undefined,
  who: string,
  param: string,
): string | undefined {
  const stored = credential.cloudflare_account_id;
  if (stored === undefined) return headerAccount;
  if (urlFieldProblem("cloudflareAccountId", stored) !== null)
    throw badRequest(
      `${who}: its stored cloudflare_account_id is not an account id; fix the virtual key`,
      param,
      "invalid_parameter",
    );
  if (headerAccount !== undefined && headerAccount !== stored) {
    throw badRequest(
      `the Cloudflare account of ${who} is fixed: do not send another x-portkey-workers-ai-account-id`,
      param,
      "workers_ai_account_not_allowed",
    );
  }
  return stored;
}
