import { describe, expect, it } from "vitest";
import {
  adminCall,
  createConfig,
  expectError,
  json,
  sampleConfig,
  uniqueSlug,
  type ConfigBody,
  type ListBody,
} from "./admin-helpers";

interface VersionBody {
  object: "config.version";
  config_id: string;
  version: number;
  created_at: string;
  created_by: string;
  config?: Record<string, unknown>;
}

const modelOf = (config: Record<string, unknown> | undefined) =>
  (config?.targets as { override_params: { model: string } }[] | undefined)?.[0]?.override_params.model;

describe("saved config lifecycle", () => {
  it("create, get by id and slug, update to version 2, read version 1, rename, archive", async () => {
    const slug = uniqueSlug("life");
    const created = await createConfig(slug, sampleConfig("gpt-4o-mini"), "Production chat");
    expect(created).toMatchObject({ object: "config", slug, name: "Production chat", version: 1, archived: false });
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);

    const byId = await json<ConfigBody>(await adminCall({ path: `/configs/${created.id}` }));
    const bySlug = await json<ConfigBody>(await adminCall({ path: `/configs/${slug}` }));
    expect(bySlug).toEqual(byId);
    expect(modelOf(byId.config)).toBe("gpt-4o-mini");

    const updated = await json<ConfigBody>(
      await adminCall({ method: "PUT", path: `/configs/${slug}`, body: { config: sampleConfig("gpt-4o") } }),
    );
    expect(updated).toMatchObject({ id: created.id, version: 2, name: "Production chat" });
    const latest = await json<ConfigBody>(await adminCall({ path: `/configs/${created.id}` }));
    expect(latest.version).toBe(2);
    expect(modelOf(latest.config)).toBe("gpt-4o");

    const v1 = await json<VersionBody>(await adminCall({ path: `/configs/${slug}/versions/1` }));
    expect(v1).toMatchObject({
      object: "config.version",
      config_id: created.id,
      version: 1,
      created_by: "admin:17d6bfe0",
    });
    expect(modelOf(v1.config)).toBe("gpt-4o-mini");

    // PATCH with config: version 3; PATCH with only a name: metadata, no new version.
    const patched = await json<ConfigBody>(
      await adminCall({ method: "PATCH", path: `/configs/${slug}`, body: { config: sampleConfig("o3-mini") } }),
    );
    expect(patched.version).toBe(3);
    const renamed = await json<ConfigBody>(
      await adminCall({ method: "PATCH", path: `/configs/${slug}`, body: { name: "Chat v3" } }),
    );
    expect(renamed).toMatchObject({ version: 3, name: "Chat v3" });
    expect(modelOf(renamed.config)).toBe("o3-mini");

    const versions = await json<ListBody<VersionBody>>(await adminCall({ path: `/configs/${slug}/versions` }));
    expect(versions.data.map((v) => v.version)).toEqual([3, 2, 1]);
    expect(versions.data[0]?.config).toBeUndefined(); // the list is metadata; bodies via /versions/:n
    const firstPage = await json<ListBody<VersionBody>>(await adminCall({ path: `/configs/${slug}/versions?limit=2` }));
    expect(firstPage.data.map((v) => v.version)).toEqual([3, 2]);
    const secondPage = await json<ListBody<VersionBody>>(
      await adminCall({ path: `/configs/${slug}/versions?limit=2&cursor=${firstPage.next_cursor}` }),
    );
    expect(secondPage).toMatchObject({ next_cursor: null });
    expect(secondPage.data.map((v) => v.version)).toEqual([1]);

    const archived = await json<ConfigBody>(await adminCall({ method: "DELETE", path: `/configs/${slug}` }));
    expect(archived).toMatchObject({ id: created.id, archived: true });
    await expectError(await adminCall({ path: `/configs/${slug}` }), 404, { code: "config_not_found" });
    // Still readable by id (history), but read-only.
    expect((await json<ConfigBody>(await adminCall({ path: `/configs/${created.id}` }))).archived).toBe(true);
    await expectError(
      await adminCall({ method: "PUT", path: `/configs/${created.id}`, body: { config: sampleConfig() } }),
      409,
      {
        code: "config_archived",
      },
    );
    await expectError(await adminCall({ method: "DELETE", path: `/configs/${created.id}` }), 409, {
      code: "config_archived",
    });

    // Archiving freed the slug.
    const reborn = await createConfig(slug);
    expect(reborn.id).not.toBe(created.id);
    expect((await json<ConfigBody>(await adminCall({ path: `/configs/${slug}` }))).id).toBe(reborn.id);
  });

  it("lists newest first with cursor pagination, no duplicates or gaps, archived only on request", async () => {
    const slugs = [uniqueSlug("page"), uniqueSlug("page"), uniqueSlug("page"), uniqueSlug("page"), uniqueSlug("page")];
    const ids: string[] = [];
    for (const slug of slugs) ids.push((await createConfig(slug)).id);
    await json(await adminCall({ method: "DELETE", path: `/configs/${slugs[1]}` }));

    async function walk(query: string): Promise<ConfigBody[]> {
      const seen: ConfigBody[] = [];
      let cursor: string | null = null;
      for (let pages = 0; pages < 100; pages++) {
        const page: ListBody<ConfigBody> = await json(
          await adminCall({ path: `/configs?limit=2${query}${cursor ? `&cursor=${cursor}` : ""}` }),
        );
        expect(page.data.length).toBeLessThanOrEqual(2);
        seen.push(...page.data);
        cursor = page.next_cursor;
        if (!cursor) return seen;
      }
      throw new Error("pagination did not end");
    }

    const live = await walk("");
    const liveIds = live.map((c) => c.id);
    expect(new Set(liveIds).size).toBe(liveIds.length);
    const mine = liveIds.filter((id) => ids.includes(id));
    expect(mine).toEqual([ids[4], ids[3], ids[2], ids[0]]); // newest first, archived one left out
    expect(live.every((c) => !("config" in c))).toBe(true);

    const all = (await walk("&include_archived=true")).map((c) => c.id).filter((id) => ids.includes(id));
    expect(all).toEqual([...ids].reverse());
  });

  it("409 for a duplicate slug, leaving the first config untouched", async () => {
    const slug = uniqueSlug("dup");
    const first = await createConfig(slug);
    await expectError(
      await adminCall({ method: "POST", path: "/configs", body: { slug, config: sampleConfig("other") } }),
      409,
      {
        code: "config_slug_taken",
        param: "slug",
      },
    );
    const current = await json<ConfigBody>(await adminCall({ path: `/configs/${slug}` }));
    expect(current).toMatchObject({ id: first.id, version: 1 });
  });

  it("never returns an inline api_key, and refuses to save the masked hint back", async () => {
    const slug = uniqueSlug("secret");
    const config = { provider: "openai", api_key: "sk-secret-abcdefghijklmnop-WXYZ" };
    const created = await createConfig(slug, config);
    expect(JSON.stringify(created)).not.toContain("sk-secret");
    expect(created.config.api_key).toBe("****WXYZ");
    const fetched = await adminCall({ path: `/configs/${slug}` });
    expect(await fetched.text()).not.toContain("sk-secret");
    const version = await adminCall({ path: `/configs/${slug}/versions/1` });
    expect(await version.text()).not.toContain("sk-secret");

    const error = await expectError(
      await adminCall({ method: "PUT", path: `/configs/${slug}`, body: { config: created.config } }),
      400,
      { param: "config.api_key", code: "invalid_config" },
    );
    expect(error.message).toMatch(/masked/);
  });

  it("404 for unknown configs and versions", async () => {
    await expectError(await adminCall({ path: "/configs/no-such-config" }), 404, { code: "config_not_found" });
    await expectError(await adminCall({ path: `/configs/${crypto.randomUUID()}` }), 404);
    await expectError(
      await adminCall({ method: "PUT", path: "/configs/no-such-config", body: { config: sampleConfig() } }),
      404,
    );
    const slug = uniqueSlug("ver");
    await createConfig(slug);
    await expectError(await adminCall({ path: `/configs/${slug}/versions/2` }), 404, {
      code: "config_version_not_found",
    });
  });
});
