import { AwsV4Signer } from "aws4fetch";
import type { UpstreamCall } from "../types";

export interface SigV4Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  region: string;
}

/** Bedrock's signing name: the runtime endpoint signs as "bedrock", not "bedrock-runtime". */
export const BEDROCK_SIGNING_SERVICE = "bedrock";

/**
 * Sign a built call with AWS Signature Version 4 (aws4fetch: WebCrypto HMAC-SHA256, made for Workers). Runs last,
 * right before the fetch, so the headers merged in after the adapter (forwarded ones) are covered too. Adds
 * `x-amz-date`, `x-amz-security-token` (temporary credentials) and `authorization`. `datetime`
 * (`YYYYMMDDTHHMMSSZ`) is for tests; by default the current time.
 */
export async function signSigV4(
  call: UpstreamCall,
  credentials: SigV4Credentials,
  datetime?: string,
): Promise<UpstreamCall> {
  const signer = new AwsV4Signer({
    method: "POST",
    url: call.url,
    headers: call.headers,
    body: call.body,
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    sessionToken: credentials.sessionToken,
    service: BEDROCK_SIGNING_SERVICE,
    region: credentials.region,
    datetime,
  });
  const signed = await signer.sign();
  const headers: Record<string, string> = {};
  signed.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return { url: call.url, headers, body: call.body };
}
