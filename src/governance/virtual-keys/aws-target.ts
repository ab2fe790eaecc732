import type { AwsOptions } from "../../../providers/types";
import type { ProviderCredential } from "../../vault/credential";

/**
 * A Bedrock virtual key's AWS options: its stored region, and with a stored access key id the stored key as the
 * IAM secret (requests are then signed; without one, the key is a Bedrock API key sent as a bearer). Nothing
 * from the request replaces them: the credential goes only where it was stored for.
 */
export function storedAwsOptions(credential: ProviderCredential): AwsOptions {
  const out: AwsOptions = {};
  if (credential.aws_region) out.region = credential.aws_region;
  if (credential.aws_access_key_id) {
    out.accessKeyId = credential.aws_access_key_id;
    out.secretAccessKey = credential.api_key;
    if (credential.aws_session_token) out.sessionToken = credential.aws_session_token;
  }
  return out;
}
