import { describe, expect, it } from "vitest";
import { buildBedrockChatRequest } from "../../providers/bedrock/request";
import { signSigV4 } from "../../providers/bedrock/sign";
import { UnsupportedParameterError, type ResolvedTarget, type UpstreamCall } from "../../providers/types";
import { referenceAuthorization } from "../fixtures/bedrock/sigv4-reference";

describe("the reference signer", () => {
  it("reproduces AWS's published get-vanilla signature", async () => {
    const authorization = await referenceAuthorization({
      method: "GET",
      url: "https://example.amazonaws.com/",
      headers: { "x-amz-date": "20150830T123600Z" },
      signedNames: ["host", "x-amz-date"],
      body: "",
      accessKeyId: "AKIDEXAMPLE",
      secret: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
      region: "us-east-1",
      service: "service",
      datetime: "20150830T123600Z",
    });
    expect(authorization).toBe(
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
    );
  });
});

const credentials = {
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  region: "eu-west-3",
};

describe("Bedrock SigV4 signing", () => {
  const call: UpstreamCall = {
    url: "https://bedrock-runtime.eu-west-3.amazonaws.com/model/eu.anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse-stream",
    headers: {
      "content-type": "application/json",
      accept: "application/vnd.amazon.eventstream",
      "x-custom-trace": "a  b",
    },
    body: JSON.stringify({ messages: [{ role: "user", content: [{ text: "héllo" }] }] }),
  };

  it("matches the reference signature exactly, session token included", async () => {
    const signed = await signSigV4(
      call,
      { ...credentials, sessionToken: "FwoGZXIvYXdzEXAMPLE//token==" },
      "20250102T030405Z",
    );
    expect(signed.headers["x-amz-date"]).toBe("20250102T030405Z");
    expect(signed.headers["x-amz-security-token"]).toBe("FwoGZXIvYXdzEXAMPLE//token==");
    const expected = await referenceAuthorization({
      method: "POST",
      url: call.url,
      headers: signed.headers,
      // aws4fetch leaves content-type out of SignedHeaders (SigV4 allows any subset that includes host and x-amz-*).
      signedNames: ["accept", "host", "x-amz-date", "x-amz-security-token", "x-custom-trace"],
      body: call.body,
      accessKeyId: credentials.accessKeyId,
      secret: credentials.secretAccessKey,
      region: "eu-west-3",
      service: "bedrock",
      datetime: "20250102T030405Z",
    });
    expect(signed.headers.authorization).toBe(expected);
    expect(signed.url).toBe(call.url);
    expect(signed.body).toBe(call.body);
  });

  it("signs the double-encoded path of an ARN model id", async () => {
    const arnCall = {
      ...call,
      url: "https://bedrock-runtime.eu-west-3.amazonaws.com/model/arn%3Aaws%3Abedrock%3Aeu-west-3%3A123456789012%3Ainference-profile%2Feu.anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse",
    };
    const signed = await signSigV4(arnCall, credentials, "20250102T030405Z");
    const expected = await referenceAuthorization({
      method: "POST",
      url: arnCall.url,
      headers: signed.headers,
      signedNames: ["accept", "host", "x-amz-date", "x-custom-trace"],
      body: call.body,
      accessKeyId: credentials.accessKeyId,
      secret: credentials.secretAccessKey,
      region: "eu-west-3",
      service: "bedrock",
      datetime: "20250102T030405Z",
    });
    expect(signed.headers.authorization).toBe(expected);
  });
});

describe("Bedrock auth selection", () => {
  const body = {
    model: "anthropic.claude-3-haiku-20240307-v1:0",
    messages: [{ role: "user" as const, content: "hi" }],
  };

  it("IAM credentials: the call carries a sign step scoped to the target's region and no bearer", async () => {
    const target: ResolvedTarget = { provider: "bedrock", aws: { ...credentials } };
    const built = buildBedrockChatRequest(body, target);
    expect(built.url).toBe(
      "https://bedrock-runtime.eu-west-3.amazonaws.com/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse",
    );
    expect(built.headers.authorization).toBeUndefined();
    const signed = await (built.sign ?? (() => Promise.reject(new Error("no sign step"))))(built);
    expect(signed.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE\/\d{8}\/eu-west-3\/bedrock\/aws4_request, SignedHeaders=accept;host;x-amz-date, Signature=[0-9a-f]{64}$/,
    );
  });

  it("a Bedrock API key goes as a bearer token, unsigned", () => {
    const built = buildBedrockChatRequest(body, {
      provider: "bedrock",
      apiKey: "ABSKQmVkcm9ja0FQSUtleS1example",
      aws: { region: "us-west-2" },
    });
    expect(built.headers.authorization).toBe("Bearer ABSKQmVkcm9ja0FQSUtleS1example");
    expect(built.sign).toBeUndefined();
    expect(built.url).toBe(
      "https://bedrock-runtime.us-west-2.amazonaws.com/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse",
    );
  });

  it("half a key pair is a 400 naming the missing field; a missing region is a 400 too", () => {
    const half = () =>
      buildBedrockChatRequest(body, {
        provider: "bedrock",
        aws: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", region: "us-east-1" },
      });
    expect(half).toThrow(UnsupportedParameterError);
    expect(half).toThrow(/aws_secret_access_key is missing/);
    expect(() => buildBedrockChatRequest(body, { provider: "bedrock", apiKey: "k" })).toThrow(/needs a region/);
  });
});
