import type { ProviderId } from "../../../schema/provider-ids";
import { urlFieldProblem } from "../../../schema/url-fields";
import { badRequest } from "../../errors";
import type { ProviderCredential } from "../../vault/credential";

/** The AWS options of a virtual key's admin body (Bedrock). */
export interface AwsCredentialInput {
  aws_access_key_id?: string | null;
  aws_session_token?: string | null;
  aws_region?: string | null;
}

/**
 * A Bedrock virtual key stores, sealed together: `api_key` (the IAM secret access key when `aws_access_key_id` is
 * set, else a Bedrock API key sent as a bearer), `aws_access_key_id`, an optional `aws_session_token`, and
 * `aws_region`, which is required (it is the endpoint's host and the signature's scope). Other providers take no
 * aws_* option.
 */
export function checkAwsCredential(
  provider: ProviderId,
  input: AwsCredentialInput,
  credential: ProviderCredential,
): void {
  const { aws_access_key_id: keyId, aws_session_token: token, aws_region: region } = input;
  if (provider !== "bedrock") {
    if (keyId || token || region)
      throw badRequest(`aws_* options only apply to bedrock, not ${provider}`, "aws_region", "invalid_request");
    return;
  }
  if (!region) throw badRequest("aws_region: required for bedrock", "aws_region", "invalid_request");
  const problem = urlFieldProblem("awsRegion", region);
  if (problem) throw badRequest(`aws_region: ${problem}`, "aws_region", "invalid_parameter");
  if (token && !keyId)
    throw badRequest(
      "aws_session_token needs aws_access_key_id (IAM credentials)",
      "aws_session_token",
      "invalid_request",
    );
  credential.aws_region = region;
  if (keyId) credential.aws_access_key_id = keyId;
  if (token) credential.aws_session_token = token;
}
