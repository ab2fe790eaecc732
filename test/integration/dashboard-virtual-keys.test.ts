import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { csrfIn, dash, ORIGIN, signIn } from "./dashboard-helpers";

interface VirtualKeyRow {
  id: string;
  provider: string;
  status: string;
  secret_ciphertext: string;
  secret_hint: string;
}

const rowOf = (slug: string) =>
  env.DB.prepare("select * from virtual_keys where slug = ?").bind(slug).first<VirtualKeyRow>();

const SECRET = "sk-dashboard-secret-0123456789abcdef";

async function session() {
  const cookie = await signIn();
  const page = await (await dash("/dashboard/keys/virtual/new", { cookie })).text();
  expect(page).toMatch(/id="v-api_key"\s+name="api_key"\s+type="password"/);
  return { cookie, csrf: csrfIn(page) };
}

describe("dashboard: virtual keys (create, rotate, delete)", () => {
  it("refuses a create without the CSRF token and stores nothing", async () => {
    const { cookie } = await session();
    const slug = `vk-csrf-${crypto.randomUUID().slice(0, 8)}`;
    const res = await dash("/dashboard/keys/virtual", { cookie, form: { slug, provider: "openai", api_key: SECRET } });
    expect(res.status).toBe(403);
    expect(await rowOf(slug)).toBeNull();
  });

  it("shows errors at the field and never fills the provider key back", async () => {
    const { cookie, csrf } = await session();
    const slug = `vk-bad-${crypto.randomUUID().slice(0, 8)}`;
    const res = await dash("/dashboard/keys/virtual", {
      cookie,
      origin: ORIGIN,
      form: { _csrf: csrf, slug, provider: "nope", api_key: SECRET },
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toMatch(/id="v-provider-error" role="alert">provider: unknown provider/);
    expect(html).toContain(`value="${slug}"`);
    expect(html).not.toContain(SECRET);
    const noKey = await dash("/dashboard/keys/virtual", {
      cookie,
      form: { _csrf: csrf, slug, provider: "openai", api_key: "" },
    });
    expect(noKey.status).toBe(400);
    expect(await noKey.text()).toContain('aria-invalid="true" aria-describedby="v-api_key-error"');
    expect(await rowOf(slug)).toBeNull();
  });

  it("creates (sealed, secret never shown), rotates and deletes", async () => {
    const { cookie, csrf } = await session();
    const slug = `vk-ui-${crypto.randomUUID().slice(0, 8)}`;
    const created = await dash("/dashboard/keys/virtual", {
      cookie,
      form: { _csrf: csrf, slug, provider: "openai", api_key: SECRET },
    });
    expect(created.status).toBe(303);
    const row = await rowOf(slug);
    expect(row).toMatchObject({ provider: "openai", status: "active" });
    expect(JSON.stringify(row)).not.toContain(SECRET);
    const list = await (await dash("/dashboard/keys", { cookie })).text();
    expect(list).toContain(`@${slug}`);
    expect(list).not.toContain(SECRET);
    const base = `/dashboard/keys/virtual/${row?.id ?? ""}`;
    expect(list).toContain(`href="${base}/rotate"`);

    const refused = await dash(`${base}/rotate`, { cookie, form: { api_key: "sk-new-0123456789" } });
    expect(refused.status).toBe(403);
    const empty = await dash(`${base}/rotate`, { cookie, form: { _csrf: csrf, api_key: "" } });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('id="r-api_key-error"');
    expect((await rowOf(slug))?.secret_ciphertext).toBe(row?.secret_ciphertext);
    const rotated = await dash(`${base}/rotate`, { cookie, form: { _csrf: csrf, api_key: "sk-new-0123456789" } });
    expect(rotated.status).toBe(303);
    const after = await rowOf(slug);
    expect(after?.secret_ciphertext).not.toBe(row?.secret_ciphertext);
    expect(after?.secret_hint).not.toBe(row?.secret_hint);

    expect((await dash(`${base}/delete`, { cookie, form: {} })).status).toBe(403);
    const deleted = await dash(`${base}/delete`, { cookie, form: { _csrf: csrf } });
    expect(deleted.status).toBe(303);
    expect((await rowOf(slug))?.status).toBe("deleted");
  });
});
