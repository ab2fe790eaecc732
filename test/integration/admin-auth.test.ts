import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { app } from "../../src/app";
import { ADMIN_TOKEN, adminCall, expectError, json, type ListBody } from "./admin-helpers";

/** Run the app with a different ADMIN_TOKEN than the test Worker's binding. */
async function withAdminToken(token: string | undefined, authorization?: string): Promise<Response> {
  const headers: Record<string, string> = authorization ? { authorization } : {};
  const ctx = createExecutionContext();
  const res = await app.fetch(
    new Request("http://gateway.test/admin/configs", { headers }),
    { ...env, ADMIN_TOKEN: token },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

describe("admin auth", () => {
  it("401 without an Authorization header, with a Bearer challenge", async () => {
    const res = await adminCall({ path: "/configs", token: null });
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    await expectError(res, 401, { type: "authentication_error", code: "missing_admin_token" });
  });

  it("401 for a wrong token, a prefix of the right one, and the right one plus a suffix", async () => {
    for (const token of ["wrong-token", ADMIN_TOKEN.slice(0, -1), `${ADMIN_TOKEN}x`]) {
      await expectError(await adminCall({ path: "/configs", token }), 401, { code: "invalid_admin_token" });
    }
  });

  it("401 for the right token under another scheme", async () => {
    const res = await withAdminToken(ADMIN_TOKEN, `Basic ${ADMIN_TOKEN}`);
    await expectError(res, 401, { code: "missing_admin_token" });
  });

  it("accepts the right token (scheme is case-insensitive)", async () => {
    const page = await json<ListBody<unknown>>(await adminCall({ path: "/configs" }));
    expect(page.object).toBe("list");
    expect((await withAdminToken(ADMIN_TOKEN, `bearer ${ADMIN_TOKEN}`)).status).toBe(200);
  });

  it("guards unknown admin paths too: 401 before 404, so routes are not discoverable", async () => {
    await expectError(await adminCall({ path: "/nope", token: null }), 401);
    await expectError(await adminCall({ path: "/nope" }), 404);
  });

  it("is disabled, never open, when ADMIN_TOKEN is unset or empty", async () => {
    for (const token of [undefined, ""]) {
      const error = await expectError(await withAdminToken(token, `Bearer ${token ?? ""}`), 503, {
        code: "admin_api_disabled",
      });
      expect(error.message).toMatch(/admin API disabled: set ADMIN_TOKEN/);
      await expectError(await withAdminToken(token), 503, { code: "admin_api_disabled" });
    }
  });

  it("never echoes the token in an error", async () => {
    const res = await adminCall({ path: "/configs", token: "some-guess-1234" });
    const text = await res.text();
    expect(text).not.toContain("some-guess-1234");
    expect(text).not.toContain(ADMIN_TOKEN);
  });
});
