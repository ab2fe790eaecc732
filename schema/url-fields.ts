import * as z from "zod";

/**
 * Caller values that become part of an upstream URL (a host label, a path segment, a query value). Each has one
 * strict pattern here, used everywhere such a value enters: headers, configs (inline and saved), virtual keys and
 * the provider URL builders. Strict on purpose: these values are identifiers, and anything else in them (":",
 * "/", "@", "#", "?", "%", "..", whitespace, unicode dots that URL parsers fold into ".") could move the request
 * to another host or path.
 */
export type UrlFieldKind =
  | "azureResourceName"
  | "azureDeploymentId"
  | "azureApiVersion"
  | "modelInPath"
  | "awsRegion"
  | "bedrockModelId"
  | "vertexProjectId"
  | "vertexRegion"
  | "vertexModel"
  | "cloudflareAccountId";

interface UrlFieldRule {
  pattern: RegExp;
  /** Completes "<field>: must be ...". */
  expected: string;
}

export const URL_FIELD_RULES: Readonly<Record<UrlFieldKind, UrlFieldRule>> = {
  // An AWS region: part of the Bedrock host (bedrock-runtime.<region>.amazonaws.com) and of the SigV4 scope.
  awsRegion: {
    pattern: /^[a-z]{2}(?:-[a-z]+)+-[0-9]{1,2}$/,
    expected: "an AWS region such as us-east-1 or eu-central-2 (lower-case letters, hyphens and a final number)",
  },
  // A Bedrock model id, inference profile id (`us.anthropic...-v1:0`) or ARN (one "/" after the resource type);
  // the URL builder percent-encodes it as one path segment.
  bedrockModelId: {
    pattern:
      /^(?:arn:aws(?:-[a-z]+)*:bedrock:[a-z0-9-]{0,32}:[0-9]{0,12}:[a-z-]{1,64}\/)?[A-Za-z0-9][A-Za-z0-9._:-]{0,255}$/,
    expected:
      "a Bedrock model id, inference profile id or ARN (letters, digits, '.', '_', '-' and ':', starting with a letter or digit)",
  },
  // A Google Cloud project id (6 to 30 characters, lower case): a path segment of every Vertex URL.
  vertexProjectId: {
    pattern: /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/,
    expected: "a Google Cloud project id: 6 to 30 lower-case letters, digits and hyphens, starting with a letter",
  },
  // A Vertex location: part of the host (<region>-aiplatform.googleapis.com) and of the path; `global` too.
  vertexRegion: {
    pattern: /^[a-z][a-z0-9]*(?:-[a-z0-9]+){0,3}$/,
    expected:
      "a Google Cloud region such as us-central1, europe-west4 or global (lower-case letters, digits and hyphens)",
  },
  // Vertex's `publishers/{p}/models/{model}:...`: Claude's ids carry an "@" version (claude-sonnet-4-5@20250929).
  vertexModel: {
    pattern: /^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/,
    expected:
      "a model id of letters, digits, '.', '_', '@' and '-' (at most 128 characters, starting with a letter or digit)",
  },
  // A Cloudflare account id (32 lower-case hex digits): a path segment of the Workers AI REST URL.
  cloudflareAccountId: {
    pattern: /^[0-9a-f]{32}$/,
    expected: "a Cloudflare account id: 32 lower-case hexadecimal digits",
  },
  // One DNS label: it becomes <resource>.openai.azure.com.
  azureResourceName: {
    pattern: /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/,
    expected:
      "an Azure resource name: letters, digits and hyphens, at most 63 characters, not starting or ending with a hyphen",
  },
  // A path segment; starting with a letter or digit rules out "." and "..".
  azureDeploymentId: {
    pattern: /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
    expected:
      "an Azure deployment name: letters, digits, '.', '_' and '-', at most 64 characters, starting with a letter or digit",
  },
  // A query value. Not a date pattern: Azure also has "preview" and "latest", and may add other forms.
  azureApiVersion: {
    pattern: /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
    expected: "an Azure api-version (letters, digits, '.', '_' and '-', such as 2024-10-21 or 2025-04-01-preview)",
  },
  // Gemini's `models/{model}:generateContent`.
  modelInPath: {
    pattern: /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/,
    expected:
      "a model id of letters, digits, '.', '_' and '-' (at most 128 characters, starting with a letter or digit)",
  },
};

/** What is wrong with `value` as this kind of field ("must be ..."), or null when it is fine. */
export function urlFieldProblem(kind: UrlFieldKind, value: string): string | null {
  const rule = URL_FIELD_RULES[kind];
  return rule.pattern.test(value) ? null : `must be ${rule.expected}`;
}

/** The zod string for such a field (configs, admin bodies): the same pattern and message. */
export function urlFieldSchema(kind: UrlFieldKind) {
  const rule = URL_FIELD_RULES[kind];
  return z.string().min(1).regex(rule.pattern, `must be ${rule.expected}`);
}
