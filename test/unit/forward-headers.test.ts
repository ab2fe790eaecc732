import { describe, expect, it } from "vitest";
import { GatewayError } from "../../src/errors";
import { forwardedHeaders, parseForwardList, withForwardedHeaders } from "../../src/pipeline/forward-headers";

function rejection(value: string): GatewayError {
  try {
    parseForwardList(value);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error(`accepted ${value}`);
}

describe("parseForwardList", () => {
  it("reads comma-separated names and JSON arrays, lower-cased and trimmed", () => {
    expect(parseForwardList(undefined)).toEqual([]);
    expect(parseForwardList("  ")).toEqual([]);
    expect(parseForwardList(" X-Custom-Trace , traceparent")).toEqual(["x-custom-trace", "traceparent"]);
    expect(parseForwardList('["X-A", "x-b"]')).toEqual(["x-a", "x-b"]);
  });

  it("refuses what is not a list of header names, naming the header", () => {
    for (const value of [
      "x-a, bad name",
      "x-a,,x-b",
      "x-a:",
      '["x-a"',
      "[1]",
      '{"a":1}',
      Array.from({ length: 33 }, (_, i) => `x-${i}`).join(","),
    ]) {
      const error = rejection(value);
      expect(error.status, value).toBe(400);
      expect(error.param, value).toBe("x-portkey-forward-headers");
      expect(error.message, value).toMatch(/^x-portkey-forward-headers: /);
    }
  });
});

describe("forwardedHeaders", () => {
  const client = new Headers({
    "X-Custom-Trace": "t-1",
    authorization: "Bearer sk-provider",
    cookie: "a=b",
    "x-portkey-api-key": "pk-gw-secret",
    "x-portkey-config": "{}",
    "proxy-authorization": "Basic x",
    "cf-access-client-secret": "s",
    "keep-alive": "timeout=5",
    connection: "x-declared-hop",
    "x-declared-hop": "1",
    "content-type": "text/plain",
    "accept-encoding": "br",
    "x-has-gateway-key": "Bearer pk-gw-abc",
    "anthropic-beta": "a,b",
    "x-portkey-anthropic-version": "2024-01-01",
    "anthropic-version": "2023-01-01",
    "openai-organization": "org-1",
  });
  const everything = [...client.keys(), "x-missing"];

  it("keeps the listed headers the client sent, except the ones that never go", () => {
    expect(forwardedHeaders(client, everything, "groq")).toEqual({
      "x-custom-trace": "t-1",
      authorization: "Bearer sk-provider",
      "anthropic-beta": "a,b",
      "anthropic-version": "2023-01-01",
      "openai-organization": "org-1",
    });
  });

  it("adds the target provider's own headers, x-portkey-* spelling first, and only for that provider", () => {
    expect(forwardedHeaders(client, [], "anthropic")).toEqual({
      "anthropic-beta": "a,b",
      "anthropic-version": "2024-01-01",
    });
    expect(forwardedHeaders(client, [], "openai")).toEqual({ "openai-organization": "org-1" });
    expect(forwardedHeaders(client, [], "azure-openai")).toBeUndefined();
    expect(forwardedHeaders(client, [], "google")).toBeUndefined();
  });

  it("drops an authorization that carries a gateway key", () => {
    const withKey = new Headers({ authorization: "Bearer pk-gw-0123", "x-a": "1" });
    expect(forwardedHeaders(withKey, ["authorization", "x-a"], "openai")).toEqual({ "x-a": "1" });
  });
});

describe("withForwardedHeaders", () => {
  const call = {
    url: "https://api.anthropic.com/v1/messages",
    body: "{}",
    headers: {
      "content-type": "application/json",
      "x-api-key": "sk-adapter",
      "anthropic-version": "2023-06-01",
      "anthropic-beta": "own-beta",
    },
  };

  it("adds new headers, keeps the adapter's credential, replaces the version and joins beta flags", () => {
    const merged = withForwardedHeaders(call, {
      "x-trace": "1",
      "x-api-key": "sk-client",
      "anthropic-version": "2024-01-01",
      "anthropic-beta": "b1,b2",
    });
    expect(merged.headers).toEqual({
      "content-type": "application/json",
      "x-api-key": "sk-adapter",
      "anthropic-version": "2024-01-01",
      "anthropic-beta": "own-beta,b1,b2",
      "x-trace": "1",
    });
    expect(call.headers["x-api-key"]).toBe("sk-adapter"); // the adapter's call is not mutated
  });

  it("returns the call as it is without forwarded headers", () => {
    expect(withForwardedHeaders(call, undefined)).toBe(call);
  });
});
