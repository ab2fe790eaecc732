import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "../../src/storage/pagination";
import { findMaskedSecret, redactSecrets } from "../../src/configs/redact";

describe("redactSecrets", () => {
  it("masks credentials at any depth and leaves everything else alone", () => {
    const config = {
      strategy: { mode: "fallback" },
      api_key: "short",
      targets: [
        {
          provider: "openai",
          api_key: "sk-proj-abcdefghijklmnopqrstuvwxyz-LAST",
          override_params: { model: "gpt-4o" },
        },
        {
          strategy: { mode: "loadbalance" },
          targets: [{ provider: "bedrock", aws_secret_access_key: "aws-secret-value-1234567890" }],
        },
      ],
    };
    const redacted = redactSecrets(config);
    expect(redacted).toEqual({
      strategy: { mode: "fallback" },
      api_key: "****",
      targets: [
        { provider: "openai", api_key: "****LAST", override_params: { model: "gpt-4o" } },
        { strategy: { mode: "loadbalance" }, targets: [{ provider: "bedrock", aws_secret_access_key: "****7890" }] },
      ],
    });
    expect(JSON.stringify(redacted)).not.toMatch(/sk-proj|aws-secret|short/);
    expect(config.targets[0]?.api_key).toBe("sk-proj-abcdefghijklmnopqrstuvwxyz-LAST"); // input untouched
  });

  it("finds a masked hint saved back, with its path", () => {
    expect(findMaskedSecret({ targets: [{ api_key: "sk-real" }, { targets: [{ api_key: "****LAST" }] }] })).toBe(
      "config.targets[1].targets[0].api_key",
    );
    expect(findMaskedSecret({ targets: [{ api_key: "sk-real" }], override_params: { note: "****" } })).toBeNull();
  });
});

describe("pagination cursors", () => {
  it("round-trip and reject garbage with a 400", () => {
    const cursor = { key: 1_767_225_600_000, id: "3f1c2d4e-0000-4000-8000-000000000000" };
    const encoded = encodeCursor(cursor);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(encoded)).toEqual(cursor);
    for (const bad of ["%%%", btoa("[1]"), btoa('["x","y"]'), btoa("{}")]) {
      expect(() => decodeCursor(bad)).toThrow(/invalid cursor/);
    }
  });
});
