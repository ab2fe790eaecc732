import { describe, expect, it } from "vitest";
import { loggedBodies, truncateUtf8 } from "../../src/observability/bodies";
import { REDACTED, scrub, secretsOf } from "../../src/observability/scrub";
import { fitted as fit, MAX_EVENT_BYTES } from "../../src/observability/fit";
import { buildEvent } from "../../src/observability/build";
import { emptyOutcome } from "../../src/context";

describe("secrets never reach a log", () => {
  const headers: Record<string, string> = {
    authorization: "Bearer gw-live-key-1234567890",
    "x-portkey-config": JSON.stringify({
      targets: [
        { provider: "openai", api_key: "custom-format-secret-42" },
        { targets: [{ aws_secret_access_key: "AWSSECRETKEYVALUE" }] },
      ],
    }),
  };
  const secrets = secretsOf((name) => headers[name]);

  it("collects the Authorization value and inline config credentials at any depth", () => {
    expect(secrets.sort()).toEqual(["AWSSECRETKEYVALUE", "custom-format-secret-42", "gw-live-key-1234567890"]);
  });

  it("adds the credentials the gateway used on the caller's behalf (a virtual key's provider key)", () => {
    expect(secretsOf(() => undefined, ["vault-provider-key-0001", "short"])).toEqual(["vault-provider-key-0001"]);
    expect(
      scrub(
        "refused vault-provider-key-0001",
        secretsOf(() => undefined, ["vault-provider-key-0001"]),
      ),
    ).toBe(`refused ${REDACTED}`);
  });

  it("replaces known secrets wherever they appear, and well-known key shapes", () => {
    const text = JSON.stringify({
      messages: [{ role: "user", content: "my key is gw-live-key-1234567890 and custom-format-secret-42" }],
      note: "also sk-proj-ABCDEFGHIJKLMNOPQRSTUV and AIzaSyA1234567890abcdefghijklmnopqrstu",
      api_key: "anything",
      header: "Authorization: Bearer abcdefghijklmnop",
    });
    const out = scrub(text, secrets);
    for (const secret of [
      "gw-live-key",
      "custom-format-secret",
      "sk-proj-ABC",
      "AIzaSy",
      "abcdefghijklmnop",
      '"anything"',
    ])
      expect(out).not.toContain(secret);
    expect(out).toContain(`"api_key":"${REDACTED}"`);
    expect(JSON.parse(out)).toBeTypeOf("object");
  });

  it("cuts bodies to the limit on a character boundary, after scrubbing", () => {
    expect(truncateUtf8("héllo", 2)).toEqual({ text: "h", truncated: true });
    expect(truncateUtf8("héllo", 3)).toEqual({ text: "hé", truncated: true });
    expect(truncateUtf8("héllo", 6)).toEqual({ text: "héllo", truncated: false });
    // The secret straddles the cut: scrubbing first leaves no prefix of it behind.
    const bodies = loggedBodies(`${"x".repeat(10)}gw-live-key-1234567890`, "ok", secrets, 16);
    expect(bodies).toEqual({ request: `${"x".repeat(10)}[REDAC`, response: "ok", truncated: true });
  });

  it("drops bodies, not the event, when an event would not fit in a queue message", () => {
    const event = buildEvent({
      id: "e",
      traceId: "t",
      traceparent: null,
      method: "POST",
      path: "/v1/chat/completions",
      startedAtEpoch: 0,
      startedAt: 0,
      headersAt: 0,
      endedAt: 0,
      status: 200,
      outcome: emptyOutcome(),
      bodies: { request: "a".repeat(70_000), response: "b".repeat(70_000), truncated: false },
      secrets: [],
    });
    const fitted = fit(event).event;
    expect(fitted.bodies).toEqual({ request: null, response: null, truncated: true });
    expect(new TextEncoder().encode(JSON.stringify(fitted)).byteLength).toBeLessThanOrEqual(MAX_EVENT_BYTES);
  });
});
