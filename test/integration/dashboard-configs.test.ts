import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { adminCall } from "./admin-helpers";
import { csrfIn, dash, ORIGIN, signIn } from "./dashboard-helpers";

const versionsOf = async (slug: string) =>
  (
    await env.DB.prepare(
      "select count(*) as n from config_versions v join configs c on c.id = v.config_id where c.slug = ?",
    )
      .bind(slug)
      .first<{ n: number }>()
  )?.n ?? -1;

const BAD_CONFIG = JSON.stringify({
  strategy: { mode: "fallback" },
  targets: [{ provider: "openai" }, { provider: 7 }],
});
const GOOD_CONFIG = JSON.stringify({
  strategy: { mode: "fallback" },
  targets: [{ provider: "openai" }, { provider: "anthropic" }],
});

async function adminError(body: unknown): Promise<{ message: string; param: string }> {
  const res = await adminCall({ method: "POST", path: "/configs", body });
  expect(res.status).toBe(400);
  return ((await res.json()) as { error: { message: string; param: string } }).error;
}

describe("dashboard: configs", () => {
  it("refuses a create without the CSRF token and writes nothing", async () => {
    const cookie = await signIn();
    const slug = `csrf-${crypto.randomUUID().slice(0, 8)}`;
    const res = await dash("/dashboard/configs", { cookie, form: { slug, config: GOOD_CONFIG } });
    expect(res.status).toBe(403);
    expect(await versionsOf(slug)).toBe(0);
  });

  it("an invalid config is refused with the admin API's message, shown at the field with its path", async () => {
    const cookie = await signIn();
    const csrf = csrfIn(await (await dash("/dashboard/configs", { cookie })).text());
    const slug = `bad-${crypto.randomUUID().slice(0, 8)}`;
    const api = await adminError({ slug, config: JSON.parse(BAD_CONFIG) });
    expect(api.param).toBe("config.targets[1].provider");
    const res = await dash("/dashboard/configs", {
      cookie,
      origin: ORIGIN,
      form: { _csrf: csrf, slug, config: BAD_CONFIG },
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toMatch(/id="c-config"\s+name="config"/);
    expect(html).toMatch(/aria-invalid="true" aria-describedby="c-config-error"/);
    expect(html).toContain(`<code data-error-path>config.targets[1].provider</code>`);
    const escaped = api.message.replaceAll('"', "&quot;");
    expect(html).toContain(escaped);
    expect(await versionsOf(slug)).toBe(0);

    const syntax = await dash("/dashboard/configs", { cookie, form: { _csrf: csrf, slug, config: "{oops" } });
    expect(syntax.status).toBe(400);
    expect(await syntax.text()).toMatch(/id="c-config-error" role="alert">config: not valid JSON/);
    const badSlug = await dash("/dashboard/configs", {
      cookie,
      form: { _csrf: csrf, slug: "A B", config: GOOD_CONFIG },
    });
    expect(badSlug.status).toBe(400);
    expect(await badSlug.text()).toContain('id="c-slug-error"');
  });

  it("creates, adds a version, shows each version, refuses a taken slug, archives", async () => {
    const cookie = await signIn();
    const csrf = csrfIn(await (await dash("/dashboard/configs", { cookie })).text());
    const slug = `ui-${crypto.randomUUID().slice(0, 8)}`;
    const created = await dash("/dashboard/configs", {
      cookie,
      form: { _csrf: csrf, slug, name: "UI", config: GOOD_CONFIG },
    });
    expect(created.status).toBe(303);
    const href = created.headers.get("location") ?? "";
    expect(href).toMatch(/^\/dashboard\/configs\/[0-9a-f-]{36}$/);
    expect(await versionsOf(slug)).toBe(1);
    const row = await env.DB.prepare("select id, name, latest_version from configs where slug = ?").bind(slug).first();
    expect(row).toMatchObject({ name: "UI", latest_version: 1 });

    const taken = await dash("/dashboard/configs", { cookie, form: { _csrf: csrf, slug, config: GOOD_CONFIG } });
    expect(taken.status).toBe(409);
    expect(await taken.text()).toContain('id="c-slug-error"');

    const bad = await dash(href, { cookie, form: { _csrf: csrf, name: "UI", config: BAD_CONFIG } });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('id="e-config-error"');
    const next = JSON.stringify({ retry: { attempts: 2 }, provider: "openai" });
    const saved = await dash(href, { cookie, form: { _csrf: csrf, name: "UI 2", config: next } });
    expect(saved.status).toBe(303);
    expect(await versionsOf(slug)).toBe(2);
    const stored = await env.DB.prepare(
      "select v.config, v.created_by from config_versions v join configs c on c.id = v.config_id where c.slug = ? and v.version = 2",
    )
      .bind(slug)
      .first<{ config: string; created_by: string }>();
    expect(JSON.parse(stored?.config ?? "null")).toEqual(JSON.parse(next));
    expect(stored?.created_by).toMatch(/^admin/);

    const v1 = await (await dash(`${href}/versions/1`, { cookie })).text();
    expect(v1).toContain("Version 1");
    expect(v1).toContain("&quot;anthropic&quot;");
    const latest = await (await dash(href, { cookie })).text();
    expect(latest).toContain("Version 2 (latest)");
    expect(latest).toContain("Save version 3");

    const archived = await dash(`${href}/archive`, { cookie, form: { _csrf: csrf } });
    expect(archived.status).toBe(303);
    const after = await env.DB.prepare("select archived from configs where slug = ?").bind(slug).first();
    expect(after).toMatchObject({ archived: 1 });
    expect(await (await dash(href, { cookie })).text()).toContain("can no longer change");
    expect((await dash(`${href}/archive`, { cookie })).status).toBe(404); // GET: no such page
  });
});

describe("dashboard: prompts", () => {
  async function promptWithTwoVersions(slug: string) {
    const messages = [{ role: "user", content: "Say {{word}}" }];
    const created = await adminCall({
      method: "POST",
      path: "/prompts",
      body: { slug, model: "gpt-4o-mini", messages },
    });
    expect(created.status).toBe(201);
    const id = ((await created.json()) as { id: string }).id;
    const next = await adminCall({
      method: "PUT",
      path: `/prompts/${slug}`,
      body: { model: "gpt-4o-mini", messages: [{ role: "user", content: "Shout {{word}}" }] },
    });
    expect(next.status).toBe(200);
    return id;
  }
  const labelRow = (id: string, label: string) =>
    env.DB.prepare("select * from prompt_labels where prompt_id = ? and label = ?").bind(id, label).first();

  it("lists prompts, shows versions and labels; moves and splits a label; refuses bad splits at the field", async () => {
    const slug = `dash-prompt-${crypto.randomUUID().slice(0, 8)}`;
    const id = await promptWithTwoVersions(slug);
    const cookie = await signIn();
    const list = await (await dash("/dashboard/prompts", { cookie })).text();
    expect(list).toContain(`data-prompt="${slug}"`);
    const href = `/dashboard/prompts/${id}`;
    const detail = await (await dash(href, { cookie })).text();
    expect(detail).toContain("Shout {{word}}");
    expect(detail).toContain("Say {{word}}");
    const csrf = csrfIn(detail);

    expect((await dash(`${href}/labels`, { cookie, form: { label: "production", split: "1" } })).status).toBe(403);
    expect(await labelRow(id, "production")).toBeNull();

    const moved = await dash(`${href}/labels`, { cookie, form: { _csrf: csrf, label: "production", split: "1" } });
    expect(moved.status).toBe(303);
    expect(await labelRow(id, "production")).not.toBeNull();
    const split = await dash(`${href}/labels`, { cookie, form: { _csrf: csrf, label: "canary", split: "1:90, 2:10" } });
    expect(split.status).toBe(303);
    const page = await (await dash(href, { cookie })).text();
    expect(page).toMatch(/data-label="production">\s*<td><code>production<\/code><\/td>\s*<td data-points>v1</);
    expect(page).toMatch(/data-label="canary">[\s\S]*?<td data-points>v1 × 90, v2 × 10</);

    const missing = await dash(`${href}/labels`, { cookie, form: { _csrf: csrf, label: "production", split: "9" } });
    expect(missing.status).toBe(400);
    expect(await missing.text()).toMatch(/id="l-split-error" role="alert">version: prompt .* has no version 9/);
    const badLabel = await dash(`${href}/labels`, { cookie, form: { _csrf: csrf, label: "latest", split: "1" } });
    expect(badLabel.status).toBe(400);
    expect(await badLabel.text()).toContain('id="l-label-error"');
  });
});

describe("dashboard: overview custom range", () => {
  it("from/to dates become the analytics window (daily buckets past 7 days); a bad date is the admin API's 400", async () => {
    const cookie = await signIn();
    const res = await dash("/dashboard?from=2024-01-01&to=2024-01-31", { cookie });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/2024-01-01T00:00Z → 2024-02-01T00:00Z,\s+daily\s+rollups/);
    expect(html).toMatch(/id="o-from" name="from" value="2024-01-01"/);
    const short = await (await dash("/dashboard?from=2024-01-01&to=2024-01-02", { cookie })).text();
    expect(short).toMatch(/2024-01-01T00:00Z → 2024-01-03T00:00Z,\s+hourly\s+rollups/);
    expect((await dash("/dashboard?from=yesterday", { cookie })).status).toBe(400);
  });
});
