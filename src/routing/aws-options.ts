import type { AwsOptions } from "../../providers/types";
import type { ConfigNode } from "../../schema/config";
import { urlFieldProblem } from "../../schema/url-fields";
import { badRequest } from "../errors";

/** Portkey's AWS headers, as Bedrock targets read them. */
export const AWS_HEADERS = {
  accessKeyId: "x-portkey-aws-access-key-id",
  secretAccessKey: "x-portkey-aws-secret-access-key",
  sessionToken: "x-portkey-aws-session-token",
  region: "x-portkey-aws-region",
} as const;

/** The x-portkey-aws-* headers; the region is held to its URL pattern here, so a bad one is a 400 naming the header. */
export function awsFromHeaders(header: (name: string) => string | undefined): AwsOptions | undefined {
  const out: AwsOptions = {};
  for (const [field, name] of Object.entries(AWS_HEADERS) as Array<[keyof AwsOptions, string]>) {
    const value = header(name)?.trim();
    if (value) out[field] = value;
  }
  const problem = out.region ? urlFieldProblem("awsRegion", out.region) : null;
  if (problem) throw badRequest(`${AWS_HEADERS.region}: ${problem}`, AWS_HEADERS.region, "invalid_parameter");
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * A Bedrock target's AWS options: the config target's `aws_*` fields over the headers'. The credentials are taken
 * as a set (a target's own access key id never pairs with a secret from the headers); the region may come from
 * either.
 */
export function awsOptionsOf(node: ConfigNode, headers: AwsOptions | undefined): AwsOptions {
  const ownKeys = node.aws_access_key_id !== undefined || node.aws_secret_access_key !== undefined;
  const keys: AwsOptions = ownKeys
    ? {
        accessKeyId: node.aws_access_key_id,
        secretAccessKey: node.aws_secret_access_key,
        sessionToken: node.aws_session_token,
      }
    : {
        accessKeyId: headers?.accessKeyId,
        secretAccessKey: headers?.secretAccessKey,
        sessionToken: headers?.sessionToken,
      };
  const out: AwsOptions = {};
  const region = node.aws_region ?? headers?.region;
  for (const [field, value] of Object.entries({ ...keys, region }) as Array<[keyof AwsOptions, string | undefined]>) {
    if (value !== undefined) out[field] = value;
  }
  return out;
}
