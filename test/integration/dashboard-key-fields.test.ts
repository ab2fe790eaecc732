import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { adminCall, uniqueSlug } from "./admin-helpers";
import { csrfIn, dash, ORIGIN, signIn } from "./dashboard-helpers";
import { apiErrorOf, escaped, expectFieldError, lastAudit, readOnlyCookie } from "./dashboard-manage-helpers";

interface KeyRow {
  name: string;
  user: string | null;
  team: string | null;
  metadata: string;
  default_config: string | null;
  default_guardrails: string | null;
  expires_at: number | null;
  log_bodies: number | null;
  rpm: number | null;
}

const rowOf = (id: string) => env.DB.prepare("select * from gateway_keys where id = ?").bind(id).first<KeyRow>();

async function newKey(body: Record<string, unknown> = {}): Promise<string> {
  const res = await adminCall({
    method: "POST",
    path: "/keys",
    body: { name: `fields-${crypto.randomUUID().slice(0, 8)}`, ...body },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function editPage(id: string, cookie: string): Promise<string> {
  const res = await dash(`/dashboard/keys/${id}/edit`, { cookie });
  expect(res.status).toBe(200);
  return res.text();
}

const EXPIRY = "2099-01-02T03:04:05.000Z";

describe("dashboard: a gateway key's other PATCH fields", () => {
  it("shows and saves name, user, team, metadata, default config and guardrails, expiry, log bodies (audited)", async () => {
    const config = uniqueSlug("key-default");
    expect(
      (await adminCall({ method: "POST", path: "/configs", body: { slug: config, config: { provider: "openai" } } }))
        .status,
    ).toBe(201);
    const id = await newKey({ user: "alice", metadata: { env: "dev" } });
    const cookie = await signIn();
    const page = await editPage(id, cookie);
    expect(page).toMatch(/id="e-user"\s+name="user"\s+type="text"\s+value="alice"/);
    expect(page).toContain(escaped(JSON.stringify({ env: "dev" }, null, 2)));
    const form = {
      _csrf: csrfIn(page),
      name: "Renamed key",
      user: "bob",
      team: "growth",
      metadata: '{"env": "prod", "tier": "gold"}',
      default_config: config,
      default_guardrails: '{"input": ["no-ssn", {"default.wordCount": {"maxWords": 100}, "deny": true}]}',
      expires_at: EXPIRY,
      log_bodies: "false",
      budget_period: "none",
    };
    const res = await dash(`/dashboard/keys/${id}/edit`, { cookie, origin: ORIGIN, form });
    expect(res.status).toBe(303);
    const row = await rowOf(id);
    expect(row).toMatchObject({
      name: "Renamed key",
      user: "bob",
      team: "growth",
      log_bodies: 0,
      expires_at: Date.parse(EXPIRY),
    });
    expect(JSON.parse(row?.metadata ?? "")).toEqual({ env: "prod", tier: "gold" });
    expect(JSON.parse(row?.default_config ?? "")).toEqual({ ref: config });
    expect(JSON.parse(row?.default_guardrails ?? "")).toEqual(JSON.parse(form.default_guardrails));
    const audit = await lastAudit(id);
    expect(audit?.action).toBe("update");
    expect(JSON.parse(audit?.details ?? "{}").fields).toContain("default_guardrails");

    const again = await editPage(id, cookie);
    expect(again).toMatch(/name="expires_at"\s+type="text"\s+value="2099-01-02T03:04:05.000Z"/);
    expect(again).toMatch(/<option value="false" selected>/);
    const cleared = await dash(`/dashboard/keys/${id}/edit`, {
      cookie,
      form: {
        ...form,
        user: "",
        team: "",
        metadata: "",
        default_config: "",
        default_guardrails: "",
        expires_at: "",
        log_bodies: "",
      },
    });
    expect(cleared.status).toBe(303);
    expect(await rowOf(id)).toMatchObject({
      user: null,
      team: null,
      metadata: "{}",
      default_config: null,
      default_guardrails: null,
      expires_at: null,
      log_bodies: null,
    });
  });

  it("shows the admin API's 400 at each field and changes nothing", async () => {
    const id = await newKey({ rpm: 5 });
    const cookie = await signIn();
    const csrf = csrfIn(await editPage(id, cookie));
    const cases: Array<{ field: string; text: string; value: unknown }> = [
      { field: "name", text: " ", value: " " },
      { field: "metadata", text: '{"env": 1}', value: { env: 1 } },
      { field: "default_config", text: "no-such-config", value: "no-such-config" },
      {
        field: "default_guardrails",
        text: '{"input": [{"default.nope": {}}]}',
        value: { input: [{ "default.nope": {} }] },
      },
      { field: "expires_at", text: "2001-01-01T00:00:00Z", value: "2001-01-01T00:00:00Z" },
      { field: "expires_at", text: "tomorrow", value: "tomorrow" },
    ];
    for (const { field, text, value } of cases) {
      const api = await apiErrorOf({ method: "PATCH", path: `/keys/${id}`, body: { [field]: value } });
      expect(api.status, field).toBe(400);
      const res = await dash(`/dashboard/keys/${id}/edit`, {
        cookie,
        form: { _csrf: csrf, [field]: text, rpm: "9", budget_period: "none" },
      });
      expect(res.status, field).toBe(400);
      expectFieldError(await res.text(), `e-${field}`, api.message);
    }
    // A <select> has no error slot of its own: its error is shown above the form.
    const api = await apiErrorOf({ method: "PATCH", path: `/keys/${id}`, body: { log_bodies: "sometimes" } });
    const select = await dash(`/dashboard/keys/${id}/edit`, {
      cookie,
      form: { _csrf: csrf, log_bodies: "sometimes", budget_period: "none" },
    });
    expect(select.status).toBe(api.status);
    expect(await select.text()).toContain(`<p class="error-box" role="alert">${escaped(api.message)}</p>`);
    expect((await rowOf(id))?.rpm).toBe(5);
  });

  it("an unchanged expiry or default config is not re-checked: an expired key's limits can still be edited", async () => {
    const config = uniqueSlug("key-archived-default");
    expect(
      (await adminCall({ method: "POST", path: "/configs", body: { slug: config, config: { provider: "openai" } } }))
        .status,
    ).toBe(201);
    const id = await newKey({ default_config: config, expires_at: EXPIRY });
    expect((await adminCall({ method: "DELETE", path: `/configs/${config}` })).status).toBe(200);
    const past = Date.parse("2020-01-01T00:00:00Z");
    await env.DB.prepare("update gateway_keys set expires_at = ? where id = ?").bind(past, id).run();
    const cookie = await signIn();
    const page = await editPage(id, cookie);
    const res = await dash(`/dashboard/keys/${id}/edit`, {
      cookie,
      form: {
        _csrf: csrfIn(page),
        name: "still editable",
        default_config: config,
        expires_at: new Date(past).toISOString(),
        rpm: "3",
        budget_period: "none",
      },
    });
    expect(res.status).toBe(303);
    expect(await rowOf(id)).toMatchObject({ name: "still editable", rpm: 3, expires_at: past });
    expect(JSON.parse((await lastAudit(id))?.details ?? "{}").fields).not.toContain("expires_at");
  });

  it("refuses a post without the CSRF token and a read-only session (403)", async () => {
    const id = await newKey();
    const cookie = await signIn();
    expect((await dash(`/dashboard/keys/${id}/edit`, { cookie, form: { name: "nope" } })).status).toBe(403);
    const reader = await readOnlyCookie();
    // The page is readable without its form (dashboard-read-only.test.ts); the post is refused.
    expect((await dash(`/dashboard/keys/${id}/edit`, { cookie: reader })).status).toBe(200);
    const csrf = csrfIn(await (await dash("/dashboard/keys", { cookie: reader })).text());
    expect(
      (await dash(`/dashboard/keys/${id}/edit`, { cookie: reader, form: { _csrf: csrf, name: "nope" } })).status,
    ).toBe(403);
    expect((await rowOf(id))?.name).not.toBe("nope");
  });
});
