import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  SAVED_CONFIG_MISS_TTL_MS,
  SAVED_CONFIG_TTL_MS,
  clearSavedConfigCache,
  loadSavedConfig,
} from "../../src/configs/store";
import { adminCall, createConfig, json, uniqueSlug } from "./admin-helpers";

const config = (model: string) => ({
  provider: "openai",
  api_key: "sk-store-test-key-0001",
  override_params: { model },
});

/** Change the latest version behind the admin API's back, as another isolate would: no cache invalidation here. */
async function writeVersionDirectly(configId: string, version: number, body: unknown): Promise<void> {
  await env.DB.batch([
    env.DB.prepare(
      "INSERT INTO config_versions (config_id, version, config, created_at, created_by) VALUES (?, ?, ?, ?, 'test')",
    ).bind(configId, version, JSON.stringify(body), Date.now()),
    env.DB.prepare("UPDATE configs SET latest_version = ? WHERE id = ?").bind(version, configId),
  ]);
}

describe("loadSavedConfig", () => {
  beforeEach(() => clearSavedConfigCache());
  afterEach(() => vi.useRealTimers());

  it("returns the latest version by slug and by id, with the real key (the engine needs it)", async () => {
    const slug = uniqueSlug("store");
    const created = await createConfig(slug, config("v1"));
    await json(await adminCall({ method: "PUT", path: `/configs/${slug}`, body: { config: config("v2") } }));
    expect(await loadSavedConfig(env, slug)).toEqual(config("v2"));
    expect(await loadSavedConfig(env, created.id)).toEqual(config("v2"));
  });

  it("returns null for unknown, malformed and archived refs", async () => {
    expect(await loadSavedConfig(env, "no-such-slug")).toBeNull();
    expect(await loadSavedConfig(env, crypto.randomUUID())).toBeNull();
    expect(await loadSavedConfig(env, '{"provider":"openai"}')).toBeNull();
    expect(await loadSavedConfig(env, "")).toBeNull();
    const slug = uniqueSlug("gone");
    const created = await createConfig(slug, config("v1"));
    expect(await loadSavedConfig(env, slug)).not.toBeNull();
    await json(await adminCall({ method: "DELETE", path: `/configs/${slug}` }));
    expect(await loadSavedConfig(env, slug)).toBeNull();
    expect(await loadSavedConfig(env, created.id)).toBeNull();
  });

  it("serves from isolate memory within the TTL and sees other isolates' updates after it", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2030-01-01T00:00:00Z"));
    const slug = uniqueSlug("ttl");
    const created = await createConfig(slug, config("v1"));
    expect(await loadSavedConfig(env, slug)).toEqual(config("v1"));

    await writeVersionDirectly(created.id, 2, config("v2"));
    vi.advanceTimersByTime(SAVED_CONFIG_TTL_MS - 1_000);
    expect(await loadSavedConfig(env, slug)).toEqual(config("v1")); // cached: D1 not read
    vi.advanceTimersByTime(2_000);
    expect(await loadSavedConfig(env, slug)).toEqual(config("v2"));
  });

  it("caches a miss briefly, but a config created through the admin API is usable at once", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2030-01-01T00:00:00Z"));
    const slug = uniqueSlug("miss");
    expect(await loadSavedConfig(env, slug)).toBeNull();
    await createConfig(slug, config("v1"));
    expect(await loadSavedConfig(env, slug)).toEqual(config("v1"));

    const other = uniqueSlug("miss-direct");
    expect(await loadSavedConfig(env, other)).toBeNull();
    const id = crypto.randomUUID();
    await env.DB.batch([
      env.DB.prepare(
        "INSERT INTO configs (id, slug, name, created_at, updated_at, latest_version, archived) VALUES (?, ?, ?, ?, ?, 1, 0)",
      ).bind(id, other, other, Date.now(), Date.now()),
      env.DB.prepare(
        "INSERT INTO config_versions (config_id, version, config, created_at, created_by) VALUES (?, 1, ?, ?, 'test')",
      ).bind(id, JSON.stringify(config("direct")), Date.now()),
    ]);
    expect(await loadSavedConfig(env, other)).toBeNull(); // the miss is cached
    vi.advanceTimersByTime(SAVED_CONFIG_MISS_TTL_MS + 1);
    expect(await loadSavedConfig(env, other)).toEqual(config("direct"));
  });

  it("sees an update through the admin API immediately (the route invalidates this isolate's cache)", async () => {
    const slug = uniqueSlug("inval");
    await createConfig(slug, config("v1"));
    expect(await loadSavedConfig(env, slug)).toEqual(config("v1"));
    await json(await adminCall({ method: "PUT", path: `/configs/${slug}`, body: { config: config("v2") } }));
    expect(await loadSavedConfig(env, slug)).toEqual(config("v2"));
  });

  it("shares one frozen object, so a caller cannot corrupt the next request's config", async () => {
    const slug = uniqueSlug("frozen");
    await createConfig(slug, config("v1"));
    const loaded = (await loadSavedConfig(env, slug)) as { override_params: { model: string } };
    expect(() => {
      loaded.override_params.model = "tampered";
    }).toThrow(TypeError);
    expect(await loadSavedConfig(env, slug)).toEqual(config("v1"));
  });

  it("shares one D1 read between concurrent loads", async () => {
    const slug = uniqueSlug("concurrent");
    await createConfig(slug, config("v1"));
    const spy = vi.spyOn(env.DB, "prepare");
    try {
      const results = await Promise.all(Array.from({ length: 5 }, () => loadSavedConfig(env, slug)));
      expect(results.every((r) => r === results[0])).toBe(true);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });
});
