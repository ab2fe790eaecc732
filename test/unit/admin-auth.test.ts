import { describe, expect, it } from "vitest";
import { adminIdentity } from "../../src/admin/auth";

describe("adminIdentity", () => {
  it("is admin: + the first 8 hex digits of the token's SHA-256", async () => {
    // printf 'test-admin-token' | sha256sum
    expect(await adminIdentity("test-admin-token")).toBe("admin:17d6bfe0");
  });

  it("differs per token and never contains the token", async () => {
    const a = await adminIdentity("token-a");
    expect(a).not.toBe(await adminIdentity("token-b"));
    expect(a).not.toContain("token-a");
  });
});
