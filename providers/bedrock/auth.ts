import { UnsupportedParameterError, type ResolvedTarget, type UpstreamCall } from "../types";
import { signSigV4 } from "./sign";
import { bedrockRegion } from "./urls";

/**
 * Bedrock's two ways in: IAM credentials (an access key id and secret, with a session token when temporary),
 * which sign each request with SigV4, or a Bedrock API key, sent as `Authorization: Bearer`. IAM credentials win
 * when both are present. Half a key pair is the caller's mistake, named in a 400. With neither, the request still
 * goes out unsigned and Bedrock's own 403 reaches the client, as for other providers without a key.
 */
export function withBedrockAuth(call: UpstreamCall, target: ResolvedTarget): UpstreamCall {
  const aws = target.aws ?? {};
  const { accessKeyId, secretAccessKey, sessionToken } = aws;
  if (accessKeyId !== undefined || secretAccessKey !== undefined) {
    if (!accessKeyId || !secretAccessKey) {
      const missing = accessKeyId ? "aws_secret_access_key" : "aws_access_key_id";
      throw new UnsupportedParameterError(
        missing,
        `${missing} is missing: Bedrock's IAM credentials need both the access key id and the secret`,
        "invalid_parameter",
      );
    }
    const credentials = {
      accessKeyId,
      secretAccessKey,
      region: bedrockRegion(target),
      ...(sessionToken ? { sessionToken } : {}),
    };
    return { ...call, sign: (built) => signSigV4(built, credentials) };
  }
  if (target.apiKey) return { ...call, headers: { ...call.headers, authorization: `Bearer ${target.apiKey}` } };
  return call;
}
