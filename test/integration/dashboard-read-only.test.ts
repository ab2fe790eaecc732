import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { adminCall, json, uniqueSlug } from "./admin-helpers";
import { csrfIn, dash, signIn } from "./dashboard-helpers";
import { readOnlyCookie } from "./dashboard-manage-helpers";

/**
 * A read-only session (an admin API key with `read`) sees the form pages as every other page: the content without
 * the form, and a note saying why. The posts behind those forms stay 403 and write nothing.
 */

const PROVIDER_KEY = "sk-read-only-provider-0123456789";

async function fixtures() {
  const vk = await json<{ id: string; slug: string }>(
    await adminCall({
      method: "POST",
      path: "/virtual-keys",
      body: { slug: uniqueSlug("ro-vk"), provider: "openai", api_key: PROVIDER_KEY },
    }),
    201,
  );
  const key = await json<{ id: string; name: string }>(
    await adminCall({ method: "POST", path: "/keys", body: { name: uniqueSlug("ro-key") } }),
    201,
  );
  const prompt = await json<{ id: string; slug: string }>(
    await adminCall({
      method: "POST",
      path: "/prompts",
      body: { slug: uniqueSlug("ro-prompt"), messages: [{ role: "user", content: "Hi {{name}}" }] },
    }),
    201,
  );
  return { vk, key, prompt };
}

async function readerPage(cookie: string, path: string): Promise<string> {
  const res = await dash(path, { cookie });
  expect(res.status, path).toBe(200);
  const html = await res.text();
  expect(html, path).toContain('id="read-only-note"');
  expect(html, path).not.toMatch(/<form method="post" action="\/dashboard\/(keys|prompts)/);
  return html;
}

const countOf = async (sql: string, ...binds: string[]) =>
  (
    await env.DB.prepare(sql)
      .bind(...binds)
      .first<{ n: number }>()
  )?.n ?? -1;

describe("dashboard: read-only sessions see form pages without their forms", () => {
  it("new prompt, new prompt version, new / edit / rotate virtual key and key edit: 200, no form", async () => {
    const { vk, key, prompt } = await fixtures();
    const reader = await readOnlyCookie();
    await readerPage(reader, "/dashboard/prompts/new");
    expect(await readerPage(reader, `/dashboard/prompts/${prompt.id}/versions/new`)).toContain(prompt.slug);
    await readerPage(reader, "/dashboard/keys/virtual/new");
    const edit = await readerPage(reader, `/dashboard/keys/virtual/${vk.id}/edit`);
    expect(edit).toContain(`@${vk.slug}`);
    expect(edit).not.toContain(PROVIDER_KEY);
    await readerPage(reader, `/dashboard/keys/virtual/${vk.id}/rotate`);
    expect(await readerPage(reader, `/dashboard/keys/${key.id}/edit`)).toContain(key.name);
  });

  it("an admin session still gets the forms, without the note", async () => {
    const { vk } = await fixtures();
    const admin = await dash(`/dashboard/keys/virtual/${vk.id}/edit`, { cookie: await signIn() });
    const html = await admin.text();
    expect(html).toContain('id="edit-virtual-key"');
    expect(html).not.toContain('id="read-only-note"');
  });

  it("the posts stay 403 for a read-only session and write nothing", async () => {
    const { vk, key, prompt } = await fixtures();
    const reader = await readOnlyCookie();
    const _csrf = csrfIn(await (await dash("/dashboard/prompts/new", { cookie: reader })).text());
    const slug = uniqueSlug("ro-new");
    const posts: Array<[string, Record<string, string>]> = [
      ["/dashboard/prompts", { slug, messages: '[{"role":"user","content":"x"}]' }],
      [`/dashboard/prompts/${prompt.id}/versions`, { messages: '[{"role":"user","content":"y"}]' }],
      ["/dashboard/keys/virtual", { slug, provider: "openai", api_key: PROVIDER_KEY }],
      [`/dashboard/keys/virtual/${vk.id}/edit`, { name: "renamed", rpm: "1" }],
      [`/dashboard/keys/virtual/${vk.id}/rotate`, { api_key: "sk-other-0123456789" }],
      [`/dashboard/keys/${key.id}/edit`, { name: "renamed" }],
    ];
    for (const [path, form] of posts) {
      expect((await dash(path, { cookie: reader, form: { _csrf, ...form } })).status, path).toBe(403);
    }
    expect(await countOf("select count(*) as n from prompts where slug = ?", slug)).toBe(0);
    expect(await countOf("select latest_version as n from prompts where id = ?", prompt.id)).toBe(1);
    expect(await countOf("select count(*) as n from virtual_keys where slug = ?", slug)).toBe(0);
    expect(await countOf("select count(*) as n from virtual_keys where id = ? and name = 'renamed'", vk.id)).toBe(0);
    expect(await countOf("select count(*) as n from gateway_keys where id = ? and name = 'renamed'", key.id)).toBe(0);
  });
});
