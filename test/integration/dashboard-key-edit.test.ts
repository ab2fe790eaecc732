import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { adminCall } from "./admin-helpers";
import { csrfIn, dash, ORIGIN, signIn } from "./dashboard-helpers";

interface KeyRow {
  rpm: number | null;
  tpm: number | null;
  budget_usd: number | null;
  budget_period: string;
  allowed_models: string | null;
  allowed_providers: string | null;
  allowed_virtual_keys: string | null;
}

const rowOf = (id: string) => env.DB.prepare("select * from gateway_keys where id = ?").bind(id).first<KeyRow>();

async function newKey(): Promise<string> {
  const res = await adminCall({
    method: "POST",
    path: "/keys",
    body: { name: `edit-${crypto.randomUUID().slice(0, 8)}`, rpm: 10, allowed_models: ["gpt-4o"] },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

const FORM = {
  rpm: "60",
  tpm: "100000",
  budget_usd: "12.5",
  budget_period: "daily",
  allowed_models: "gpt-4o-mini, claude-*",
  allowed_providers: "openai, anthropic",
  allowed_virtual_keys: "",
};

describe("dashboard: edit a gateway key's limits, budget and allowlists", () => {
  it("refuses a post without the CSRF token and changes nothing", async () => {
    const id = await newKey();
    const cookie = await signIn();
    const res = await dash(`/dashboard/keys/${id}/edit`, { cookie, form: FORM });
    expect(res.status).toBe(403);
    expect((await rowOf(id))?.rpm).toBe(10);
  });

  it("shows the current values, saves the PATCH fields (empty clears), and audits the change", async () => {
    const id = await newKey();
    const cookie = await signIn();
    const list = await (await dash("/dashboard/keys", { cookie })).text();
    expect(list).toContain(`href="/dashboard/keys/${id}/edit"`);
    const page = await (await dash(`/dashboard/keys/${id}/edit`, { cookie })).text();
    expect(page).toMatch(/id="e-rpm"\s+name="rpm"\s+type="text"\s+value="10"/);
    expect(page).toMatch(/name="allowed_models"\s+type="text"\s+value="gpt-4o"/);
    const res = await dash(`/dashboard/keys/${id}/edit`, {
      cookie,
      origin: ORIGIN,
      form: { _csrf: csrfIn(page), ...FORM },
    });
    expect(res.status).toBe(303);
    expect(await rowOf(id)).toMatchObject({
      rpm: 60,
      tpm: 100000,
      budget_usd: 12.5,
      budget_period: "daily",
      allowed_models: '["gpt-4o-mini","claude-*"]',
      allowed_providers: '["openai","anthropic"]',
      allowed_virtual_keys: null,
    });
    const audit = await env.DB.prepare(
      "select action, details from audit_log where resource_id = ? order by rowid desc limit 1",
    )
      .bind(id)
      .first<{ action: string; details: string }>();
    expect(audit?.action).toBe("update");
    const cleared = await dash(`/dashboard/keys/${id}/edit`, {
      cookie,
      form: { _csrf: csrfIn(page), ...FORM, rpm: "", allowed_models: "" },
    });
    expect(cleared.status).toBe(303);
    expect(await rowOf(id)).toMatchObject({ rpm: null, allowed_models: null, tpm: 100000 });
  });

  it("shows the admin API's 400 at the field and changes nothing", async () => {
    const id = await newKey();
    const cookie = await signIn();
    const csrf = csrfIn(await (await dash(`/dashboard/keys/${id}/edit`, { cookie })).text());
    const api = await adminCall({ method: "PATCH", path: `/keys/${id}`, body: { rpm: 0 } });
    expect(api.status).toBe(400);
    const apiError = ((await api.json()) as { error: { message: string; param: string } }).error;
    expect(apiError.param).toBe("rpm");
    const res = await dash(`/dashboard/keys/${id}/edit`, { cookie, form: { _csrf: csrf, ...FORM, rpm: "0" } });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('aria-invalid="true" aria-describedby="e-rpm-error"');
    expect(html).toContain(
      `id="e-rpm-error" role="alert">${apiError.message.replaceAll('"', "&quot;").replaceAll(">", "&gt;")}`,
    );
    const model = await dash(`/dashboard/keys/${id}/edit`, {
      cookie,
      form: { _csrf: csrf, ...FORM, allowed_models: "gp*t" },
    });
    expect(model.status).toBe(400);
    expect(await model.text()).toMatch(/id="e-allowed_models-error" role="alert">[^<]*trailing \*/);
    const provider = await dash(`/dashboard/keys/${id}/edit`, {
      cookie,
      form: { _csrf: csrf, ...FORM, allowed_providers: "nope" },
    });
    expect(provider.status).toBe(400);
    expect(await provider.text()).toContain('id="e-allowed_providers-error"');
    expect(await rowOf(id)).toMatchObject({ rpm: 10, allowed_models: '["gpt-4o"]', allowed_providers: null });
  });
});
