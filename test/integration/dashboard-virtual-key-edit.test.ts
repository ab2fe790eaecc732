import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { adminCall, uniqueSlug } from "./admin-helpers";
import { csrfIn, dash, ORIGIN, signIn } from "./dashboard-helpers";
import { apiErrorOf, expectFieldError, lastAudit, readOnlyCookie } from "./dashboard-manage-helpers";

const PROVIDER_KEY = "sk-vk-edit-secret-0123456789";

interface VirtualKeyRow {
  name: string;
  allowed_models: string | null;
  rpm: number | null;
  tpm: number | null;
  budget_usd: number | null;
  budget_period: string;
}

const rowOf = (id: string) => env.DB.prepare("select * from virtual_keys where id = ?").bind(id).first<VirtualKeyRow>();

async function newVirtualKey(): Promise<string> {
  const slug = uniqueSlug("vk-edit");
  const res = await adminCall({
    method: "POST",
    path: "/virtual-keys",
    body: { slug, provider: "openai", api_key: PROVIDER_KEY, rpm: 7 },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

const FORM = {
  name: "Team OpenAI",
  allowed_models: "gpt-4o-mini, gpt-4o*",
  rpm: "30",
  tpm: "",
  budget_usd: "5",
  budget_period: "monthly",
};

describe("dashboard: edit a virtual key", () => {
  it("shows the current values but never the provider key; saves the PATCH fields with an update audit row", async () => {
    const id = await newVirtualKey();
    const cookie = await signIn();
    const list = await (await dash("/dashboard/keys", { cookie })).text();
    expect(list).toContain(`href="/dashboard/keys/virtual/${id}/edit"`);
    const page = await (await dash(`/dashboard/keys/virtual/${id}/edit`, { cookie })).text();
    expect(page).not.toContain(PROVIDER_KEY);
    expect(page).toMatch(/id="e-rpm"\s+name="rpm"\s+type="text"\s+value="7"/);
    const res = await dash(`/dashboard/keys/virtual/${id}/edit`, {
      cookie,
      origin: ORIGIN,
      form: { _csrf: csrfIn(page), ...FORM },
    });
    expect(res.status).toBe(303);
    expect(await rowOf(id)).toMatchObject({
      name: "Team OpenAI",
      allowed_models: '["gpt-4o-mini","gpt-4o*"]',
      rpm: 30,
      tpm: null,
      budget_usd: 5,
      budget_period: "monthly",
    });
    expect(await lastAudit(id)).toMatchObject({ action: "update", resource_type: "virtual_key" });
  });

  it("shows the admin API's 400 at the field; CSRF and read-only sessions are refused (403)", async () => {
    const id = await newVirtualKey();
    const cookie = await signIn();
    const csrf = csrfIn(await (await dash(`/dashboard/keys/virtual/${id}/edit`, { cookie })).text());
    const api = await apiErrorOf({ method: "PATCH", path: `/virtual-keys/${id}`, body: { budget_usd: -1 } });
    expect(api.status).toBe(400);
    const res = await dash(`/dashboard/keys/virtual/${id}/edit`, {
      cookie,
      form: { _csrf: csrf, ...FORM, budget_usd: "-1" },
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expectFieldError(html, "e-budget_usd", api.message);
    expect(html).not.toContain(PROVIDER_KEY);
    expect((await dash(`/dashboard/keys/virtual/${id}/edit`, { cookie, form: FORM })).status).toBe(403);
    const reader = await readOnlyCookie();
    const readerCsrf = csrfIn(await (await dash("/dashboard/keys", { cookie: reader })).text());
    expect(
      (await dash(`/dashboard/keys/virtual/${id}/edit`, { cookie: reader, form: { _csrf: readerCsrf, ...FORM } }))
        .status,
    ).toBe(403);
    expect((await rowOf(id))?.rpm).toBe(7);
  });
});
