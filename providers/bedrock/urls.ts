import { urlField } from "../shared/url-fields";
import { UnsupportedParameterError, type ResolvedTarget } from "../types";

export type BedrockOperation = "converse" | "converse-stream" | "invoke";

/** Cross-region inference profiles prefix the model id with a geography: `us.anthropic.claude-...`. */
const GEO_PREFIX = /^(?:us|us-gov|eu|apac|ap|jp|au|ca|in|global)\./;

/**
 * The model provider behind a Bedrock model id (`anthropic`, `amazon`, `cohere`, `meta` ...), for the few
 * model-specific fields Converse leaves to `additionalModelRequestFields`. An ARN names the model after its last
 * "/"; an application inference profile's ARN does not say, which gives "".
 */
export function modelVendor(modelId: string): string {
  const name = modelId.startsWith("arn:") ? modelId.slice(modelId.lastIndexOf("/") + 1) : modelId;
  const bare = name.replace(GEO_PREFIX, "");
  const dot = bare.indexOf(".");
  return dot > 0 ? bare.slice(0, dot) : "";
}

/** The region from the target; the endpoint and the SigV4 scope both need it. */
export function bedrockRegion(target: ResolvedTarget): string {
  const region = target.aws?.region;
  if (region === undefined || region === "") {
    throw new UnsupportedParameterError(
      "x-portkey-aws-region",
      "Bedrock needs a region: send x-portkey-aws-region or set aws_region",
      "invalid_parameter",
    );
  }
  return urlField("awsRegion", region, "aws_region");
}

/**
 * `https://bedrock-runtime.{region}.amazonaws.com/model/{modelId}/{operation}`, or the same path under a custom
 * host. The model id is checked (schema/url-fields.ts) and percent-encoded as one path segment, as AWS's SDKs do:
 * `:` in `...-v1:0` becomes %3A and the "/" of an ARN %2F, so an ARN can never add path segments.
 */
export function bedrockUrl(target: ResolvedTarget, modelId: string, operation: BedrockOperation): string {
  const model = encodeURIComponent(urlField("bedrockModelId", modelId, "model"));
  const base = target.customHost ?? `https://bedrock-runtime.${bedrockRegion(target)}.amazonaws.com`;
  return `${base}/model/${model}/${operation}`;
}
