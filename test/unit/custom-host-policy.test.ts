import { describe, expect, it } from "vitest";
import { GatewayError } from "../../src/errors";
import { checkCustomHost, checkUpstreamUrl, type CustomHostPolicy } from "../../src/lib/custom-host";

const deployed: CustomHostPolicy = { allowPrivate: false, allowlist: ["*.allowed.test"] };
const development: CustomHostPolicy = { allowPrivate: true, allowlist: [] };

function refusal(run: () => unknown): GatewayError {
  try {
    run();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("checkCustomHost", () => {
  it.each([
    ["IPv4 written with unicode dots", "http://127。0。0。1:9912/v1", "127.0.0.1 is a private or loopback address"],
    [
      "IPv4 written with fullwidth dots",
      "http://169．254．169．254/latest",
      "169.254.169.254 is a private or loopback address",
    ],
    ["IPv4 in hex", "http://0x7f.1/v1", "127.0.0.1 is a private or loopback address"],
    ["IPv4-compatible IPv6", "http://[::127.0.0.1]/v1", "[::7f00:1] is a private or loopback address"],
    ["NAT64 IPv6", "http://[64:ff9b::a9fe:a9fe]/v1", "[64:ff9b::a9fe:a9fe] is a private or loopback address"],
    [
      "a label over 63 characters",
      `https://${"a".repeat(64)}.allowed.test`,
      "each dot-separated label of a host name must be 1 to 63 characters",
    ],
    [
      "a name over 253 characters",
      `https://${"abcdefghi.".repeat(25)}allowed.test`,
      "the host name is 262 characters long (at most 253)",
    ],
  ])("refuses %s", (_what, host, reason) => {
    const error = refusal(() => checkCustomHost(host, deployed));
    expect(error.status).toBe(400);
    expect(error.message).toBe(`custom_host refused: ${reason}`);
    expect(error.code).toBe("custom_host_not_allowed");
  });

  it("keeps the length rules in development too (they are not about privacy)", () => {
    expect(refusal(() => checkCustomHost(`http://${"a".repeat(5000)}/v1`, development)).message).toMatch(
      /5000 characters long \(at most 253\)$/,
    );
    expect(checkCustomHost("http://127.0.0.1:8000/v1/", development)).toBe("http://127.0.0.1:8000/v1");
  });
});

describe("checkUpstreamUrl", () => {
  it("lets a URL under its custom host through, and refuses one that leaves it", () => {
    expect(() =>
      checkUpstreamUrl("https://llm.allowed.test/v1/chat/completions", "https://llm.allowed.test/v1", deployed),
    ).not.toThrow();
    const escaped = refusal(() =>
      checkUpstreamUrl("https://llm.allowed.test/v1/../admin", "https://llm.allowed.test/v1", deployed),
    );
    expect(escaped.message).toBe("upstream URL refused: it leaves the custom host's base URL");
    expect(escaped.code).toBe("upstream_url_not_allowed");
    expect(() =>
      checkUpstreamUrl("https://llm.allowed.test.evil.com/v1/x", "https://llm.allowed.test", deployed),
    ).toThrow(GatewayError);
  });

  it("holds provider endpoints to https and public host names", () => {
    expect(() =>
      checkUpstreamUrl(
        "https://my-res.openai.azure.com/openai/deployments/d/chat/completions?api-version=2024-10-21",
        undefined,
        deployed,
      ),
    ).not.toThrow();
    // What `https://${resource}.openai.azure.com` made of "127.0.0.1:9912/#" and "127.0.0.1:9912/" would be.
    expect(
      refusal(() => checkUpstreamUrl("https://127.0.0.1:9912/#.openai.azure.com/openai", undefined, deployed)).message,
    ).toBe("upstream URL refused: fragments are not allowed");
    expect(
      refusal(() => checkUpstreamUrl("https://127.0.0.1:9912/.openai.azure.com/openai", undefined, deployed)).message,
    ).toBe("upstream URL refused: 127.0.0.1 is a private or loopback address");
    expect(() =>
      checkUpstreamUrl("https://127.0.0.1:9912/.openai.azure.com/openai", undefined, development),
    ).not.toThrow();
    expect(
      refusal(() => checkUpstreamUrl("https://x@evil.example.com/.openai.azure.com/", undefined, deployed)).message,
    ).toBe("upstream URL refused: credentials in the URL are not allowed");
    expect(refusal(() => checkUpstreamUrl("http://api.example.com/v1", undefined, deployed)).message).toBe(
      "upstream URL refused: provider endpoints are https only",
    );
  });
});
