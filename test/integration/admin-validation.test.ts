import { describe, expect, it } from "vitest";
import { gateway } from "./harness";
import { ADMIN_TOKEN, adminCall, createConfig, expectError, sampleConfig, uniqueSlug } from "./admin-helpers";

const post = (body: unknown) => adminCall({ method: "POST", path: "/configs", body });

describe("admin body and query validation", () => {
  it("400 for a body that is not JSON", async () => {
    const res = await gateway({
      path: "/admin/configs",
      body: "{nope",
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    await expectError(res, 400, { type: "invalid_request_error", code: "invalid_json" });
  });

  it("400 naming the field for bad slugs, names and unknown keys", async () => {
    const config = sampleConfig();
    await expectError(await post({ config }), 400, { param: "slug" });
    for (const slug of ["A-upper", "-leading", "x", "has space", "a".repeat(64), crypto.randomUUID()]) {
      const error = await expectError(await post({ slug, config }), 400, { param: "slug", code: "invalid_body" });
      expect(error.message).toMatch(/^slug: /);
    }
    await expectError(await post({ slug: uniqueSlug("v"), name: "", config }), 400, { param: "name" });
    await expectError(await post({ slug: uniqueSlug("v"), config, surprise: true }), 400, { param: "(body)" });
    await expectError(await post({ slug: uniqueSlug("v") }), 400, { param: "config" });
    await expectError(await post({ slug: uniqueSlug("v"), config: [1] }), 400, { param: "config" });
    await expectError(await post({ slug: uniqueSlug("v"), config: "fallback" }), 400, { param: "config" });
  });

  it("400 with the path inside the config for invalid configs", async () => {
    const slug = uniqueSlug("bad");
    const cases: [Record<string, unknown>, string][] = [
      [
        { targets: [{ provider: "openai" }, { provider: "openai", weight: -1 }], strategy: { mode: "loadbalance" } },
        "config.targets[1].weight",
      ],
      [{ strategy: { mode: "sideways" }, targets: [{ provider: "openai" }] }, "config.strategy.mode"],
      [{ provider: "not-a-provider" }, "config.provider"],
      [{ strategy: { mode: "fallback" }, targets: [{ provider: "openai", wieght: 1 }] }, "config.targets[0].wieght"],
    ];
    for (const [config, path] of cases) {
      const error = await expectError(await post({ slug, config }), 400, { code: "invalid_config" });
      expect(error.message.startsWith(`${path}: `), error.message).toBe(true);
      expect(error.param).toBe(path);
    }
    const weight = await expectError(await post({ slug, config: cases[0]?.[0] }), 400);
    expect(weight.message).toBe("config.targets[1].weight: expected a number >= 0");
    // Nothing was saved by the failed attempts.
    await expectError(await adminCall({ path: `/configs/${slug}` }), 404);
  });

  it("400 for an invalid config on update, keeping the current version", async () => {
    const slug = uniqueSlug("upd");
    await createConfig(slug);
    await expectError(
      await adminCall({
        method: "PUT",
        path: `/configs/${slug}`,
        body: { config: { strategy: { mode: "sideways" } } },
      }),
      400,
      { code: "invalid_config" },
    );
    await expectError(await adminCall({ method: "PUT", path: `/configs/${slug}`, body: { name: "no config" } }), 400, {
      param: "config",
    });
    await expectError(await adminCall({ method: "PATCH", path: `/configs/${slug}`, body: {} }), 400);
    const res = await adminCall({ path: `/configs/${slug}` });
    expect(((await res.json()) as { version: number }).version).toBe(1);
  });

  it("400 for bad pagination and version parameters", async () => {
    for (const query of ["limit=0", "limit=101", "limit=abc", "cursor=not-a-cursor", "include_archived=yes"]) {
      await expectError(await adminCall({ path: `/configs?${query}` }), 400);
    }
    const slug = uniqueSlug("param");
    await createConfig(slug);
    for (const version of ["0", "abc", "1.5", "-1"]) {
      await expectError(await adminCall({ path: `/configs/${slug}/versions/${version}` }), 400, { param: "version" });
    }
  });

  it("413 for a config over the saved-config size limit", async () => {
    const config = { provider: "openai", override_params: { model: "m", padding: "x".repeat(70_000) } };
    await expectError(await post({ slug: uniqueSlug("big"), config }), 413, { code: "config_too_large" });
  });
});
