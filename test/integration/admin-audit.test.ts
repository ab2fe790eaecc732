import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ADMIN_TOKEN, adminCall, createConfig, expectError, json, uniqueSlug, type ConfigBody } from "./admin-helpers";

interface AuditRow {
  id: string;
  at: number;
  actor: string;
  action: string;
  resource_type: string;
  resource_id: string;
  details: string;
}

async function auditRows(resourceId: string): Promise<AuditRow[]> {
  const { results } = await env.DB.prepare("SELECT * FROM audit_log WHERE resource_id = ? ORDER BY at, rowid")
    .bind(resourceId)
    .all<AuditRow>();
  return results;
}

describe("audit log", () => {
  it("records create, update, rename and archive with the admin identity and no secret", async () => {
    const slug = uniqueSlug("audit");
    const secretConfig = { provider: "openai", api_key: "sk-secret-audit-key-123456" };
    const created = await createConfig(slug, secretConfig);
    await json(
      await adminCall({
        method: "PUT",
        path: `/configs/${slug}`,
        body: { config: { ...secretConfig, api_key: "sk-secret-rotated-654321" } },
      }),
    );
    await json(await adminCall({ method: "PATCH", path: `/configs/${slug}`, body: { name: "renamed" } }));
    await json(await adminCall({ method: "DELETE", path: `/configs/${slug}` }));

    const rows = await auditRows(created.id);
    expect(rows.map((r) => r.action)).toEqual(["create", "update", "rename", "archive"]);
    for (const row of rows) {
      expect(row).toMatchObject({ actor: "admin:17d6bfe0", resource_type: "config", resource_id: created.id });
      expect(row.at).toBeGreaterThan(Date.now() - 60_000);
    }
    expect(rows.map((r) => JSON.parse(r.details) as Record<string, unknown>)).toEqual([
      { slug, version: 1 },
      { slug, version: 2, previous_version: 1, name_changed: false },
      { slug },
      { slug, version: 2 },
    ]);
    const everything = JSON.stringify(rows);
    expect(everything).not.toContain("sk-secret");
    expect(everything).not.toContain(ADMIN_TOKEN);
  });

  it("writes nothing for a change that failed", async () => {
    const slug = uniqueSlug("audit-fail");
    const first = await createConfig(slug);
    await expectError(
      await adminCall({ method: "POST", path: "/configs", body: { slug, config: { provider: "openai" } } }),
      409,
    );
    await expectError(
      await adminCall({ method: "PUT", path: `/configs/${slug}`, body: { config: { provider: "nope" } } }),
      400,
    );
    const { results } = await env.DB.prepare("SELECT action FROM audit_log WHERE details LIKE ?")
      .bind(`%"${slug}"%`)
      .all();
    expect(results).toEqual([{ action: "create" }]);
    expect((await json<ConfigBody>(await adminCall({ path: `/configs/${first.id}` }))).version).toBe(1);
  });
});
