import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { adminCall, uniqueSlug } from "./admin-helpers";
import { csrfIn, dash, ORIGIN, signIn } from "./dashboard-helpers";
import {
  apiErrorOf,
  auditCount,
  escaped,
  expectFieldError,
  lastAudit,
  readOnlyCookie,
} from "./dashboard-manage-helpers";

const WORDS = { "default.wordCount": { maxWords: 50 }, deny: true };
const WEBHOOK = (token: string) => ({
  "default.webhook": { webhookURL: "https://hooks.example.com/check", headers: { authorization: `Bearer ${token}` } },
  deny: true,
});

interface GuardrailHead {
  id: string;
  slug: string;
  name: string;
  latest_version: number;
  archived: number;
}

const headOf = (slug: string) =>
  env.DB.prepare("select id, slug, name, latest_version, archived from guardrails where slug = ?")
    .bind(slug)
    .first<GuardrailHead>();

const definitionOf = async (id: string, version: number) =>
  JSON.parse(
    (
      await env.DB.prepare("select definition from guardrail_versions where guardrail_id = ? and version = ?")
        .bind(id, version)
        .first<{ definition: string }>()
    )?.definition ?? "null",
  ) as unknown;

async function listCsrf(cookie: string): Promise<string> {
  return csrfIn(await (await dash("/dashboard/guardrails", { cookie })).text());
}

describe("dashboard: create a guardrail", () => {
  it("a good post writes the guardrail, its version 1 and a create audit row, then shows it", async () => {
    const cookie = await signIn();
    const slug = uniqueSlug("ui-guard");
    const list = await (await dash("/dashboard/guardrails", { cookie })).text();
    expect(list).toContain('id="create-guardrail"');
    const res = await dash("/dashboard/guardrails", {
      cookie,
      origin: ORIGIN,
      form: { _csrf: csrfIn(list), slug, name: "Short inputs", guardrail: JSON.stringify(WORDS) },
    });
    expect(res.status).toBe(303);
    const head = await headOf(slug);
    expect(head).toMatchObject({ slug, name: "Short inputs", latest_version: 1, archived: 0 });
    expect(res.headers.get("location")).toBe(`/dashboard/guardrails/${head?.id}`);
    expect(await definitionOf(head?.id ?? "", 1)).toEqual(WORDS);
    expect(await lastAudit(head?.id ?? "")).toMatchObject({ action: "create", resource_type: "guardrail" });
    expect((await lastAudit(head?.id ?? ""))?.actor).toMatch(/^admin/);
    const shown = await (await dash(res.headers.get("location") ?? "", { cookie })).text();
    expect(shown).toContain("default.wordCount");
  });

  it("an unknown check or a bad parameter is the admin API's 400, shown at the JSON field with its path", async () => {
    const cookie = await signIn();
    const csrf = await listCsrf(cookie);
    for (const guardrail of [{ "default.nope": {} }, { "default.wordCount": { maxWords: "many" } }]) {
      const slug = uniqueSlug("ui-guard-bad");
      const api = await apiErrorOf({ method: "POST", path: "/guardrails", body: { slug, ...guardrail } });
      expect(api.status).toBe(400);
      const res = await dash("/dashboard/guardrails", {
        cookie,
        form: { _csrf: csrf, slug, guardrail: JSON.stringify(guardrail) },
      });
      expect(res.status).toBe(400);
      const page = await res.text();
      expectFieldError(page, "g-guardrail", api.message);
      expect(page).toContain(`<code data-error-path>${escaped(api.param)}</code>`);
      expect(await headOf(slug)).toBeNull();
    }
  });

  it("JSON that does not parse is a 400 at the field; a taken slug is the API's 409 at the slug", async () => {
    const cookie = await signIn();
    const csrf = await listCsrf(cookie);
    const slug = uniqueSlug("ui-guard-dup");
    const broken = await dash("/dashboard/guardrails", { cookie, form: { _csrf: csrf, slug, guardrail: "{nope" } });
    expect(broken.status).toBe(400);
    expect(await broken.text()).toMatch(/id="g-guardrail-error" role="alert">guardrail: not valid JSON/);
    expect((await adminCall({ method: "POST", path: "/guardrails", body: { slug, ...WORDS } })).status).toBe(201);
    const taken = await dash("/dashboard/guardrails", {
      cookie,
      form: { _csrf: csrf, slug, guardrail: JSON.stringify(WORDS) },
    });
    expect(taken.status).toBe(409);
    expect(await taken.text()).toMatch(/id="g-slug-error" role="alert">slug: a guardrail with slug/);
  });

  it("refuses a post without the CSRF token (403) and a read-only session (403), writing nothing", async () => {
    const slug = uniqueSlug("ui-guard-refused");
    const form = { slug, guardrail: JSON.stringify(WORDS) };
    expect((await dash("/dashboard/guardrails", { cookie: await signIn(), form })).status).toBe(403);
    const reader = await readOnlyCookie();
    const page = await (await dash("/dashboard/guardrails", { cookie: reader })).text();
    expect(page).not.toContain('id="create-guardrail"');
    expect(
      (await dash("/dashboard/guardrails", { cookie: reader, form: { ...form, _csrf: csrfIn(page) } })).status,
    ).toBe(403);
    expect(await headOf(slug)).toBeNull();
  });
});

describe("dashboard: a guardrail's new version and archive", () => {
  async function webhookGuardrail(secret: string): Promise<GuardrailHead> {
    const slug = uniqueSlug("ui-guard-hook");
    expect((await adminCall({ method: "POST", path: "/guardrails", body: { slug, ...WEBHOOK(secret) } })).status).toBe(
      201,
    );
    const head = await headOf(slug);
    if (!head) throw new Error("not created");
    return head;
  }

  it("prefills the form masked; saving the mask back is refused at the header's path; a real value saves v2", async () => {
    const head = await webhookGuardrail("whsec-old-one");
    const cookie = await signIn();
    const page = await (await dash(`/dashboard/guardrails/${head.id}`, { cookie })).text();
    expect(page).toContain('id="edit-guardrail"');
    expect(page).not.toContain("whsec-old-one");
    const prefilled = /<textarea[^>]*id="e-guardrail"[^>]*>\n([\s\S]*?)<\/textarea>/.exec(page)?.[1] ?? "";
    const masked = prefilled.replaceAll("&quot;", '"');
    expect(JSON.parse(masked)).toMatchObject({ "default.webhook": { headers: { authorization: "********" } } });

    const csrf = csrfIn(page);
    const back = await dash(`/dashboard/guardrails/${head.id}`, { cookie, form: { _csrf: csrf, guardrail: masked } });
    expect(back.status).toBe(400);
    const refused = await back.text();
    expect(refused).toContain(
      'id="e-guardrail-error" role="alert">default.webhook.headers.authorization: this is the masked',
    );
    expect((await headOf(head.slug))?.latest_version).toBe(1);

    const real = JSON.stringify(WEBHOOK("whsec-new-two"));
    const saved = await dash(`/dashboard/guardrails/${head.id}`, {
      cookie,
      form: { _csrf: csrf, name: "Hook v2", guardrail: real },
    });
    expect(saved.status).toBe(303);
    expect(await headOf(head.slug)).toMatchObject({ latest_version: 2, name: "Hook v2" });
    expect(await definitionOf(head.id, 2)).toEqual(WEBHOOK("whsec-new-two"));
    expect(await lastAudit(head.id)).toMatchObject({ action: "update", resource_type: "guardrail" });
    expect(await (await dash(`/dashboard/guardrails/${head.id}`, { cookie })).text()).not.toContain("whsec-new-two");
  });

  it("a refused post never shows a typed header value back; bad parameters are the API's 400 at the field", async () => {
    const head = await webhookGuardrail("whsec-keep");
    const cookie = await signIn();
    const csrf = csrfIn(await (await dash(`/dashboard/guardrails/${head.id}`, { cookie })).text());
    const bad = { ...WEBHOOK("whsec-typed-secret"), "default.wordCount": { maxWords: -1 } };
    const api = await apiErrorOf({ method: "PUT", path: `/guardrails/${head.slug}`, body: bad });
    expect(api.status).toBe(400);
    const res = await dash(`/dashboard/guardrails/${head.id}`, {
      cookie,
      form: { _csrf: csrf, guardrail: JSON.stringify(bad) },
    });
    expect(res.status).toBe(400);
    const page = await res.text();
    expectFieldError(page, "e-guardrail", api.message);
    expect(page).not.toContain("whsec-typed-secret");
    expect(page).toContain("********");
    const unparsed = await dash(`/dashboard/guardrails/${head.id}`, {
      cookie,
      form: { _csrf: csrf, guardrail: '{"headers": {"authorization": "whsec-typed-secret"' },
    });
    expect(unparsed.status).toBe(400);
    expect(await unparsed.text()).not.toContain("whsec-typed-secret");
    expect((await headOf(head.slug))?.latest_version).toBe(1);
  });

  it("archives (audited), after which the form is gone; CSRF and read-only sessions are refused", async () => {
    const head = await webhookGuardrail("whsec-archive");
    const cookie = await signIn();
    const csrf = csrfIn(await (await dash(`/dashboard/guardrails/${head.id}`, { cookie })).text());
    const form = { guardrail: JSON.stringify(WORDS) };
    expect((await dash(`/dashboard/guardrails/${head.id}`, { cookie, form })).status).toBe(403);
    expect((await dash(`/dashboard/guardrails/${head.id}/archive`, { cookie, form: {} })).status).toBe(403);
    const reader = await readOnlyCookie();
    const readerPage = await (await dash(`/dashboard/guardrails/${head.id}`, { cookie: reader })).text();
    expect(readerPage).not.toContain('id="edit-guardrail"');
    const readerCsrf = csrfIn(readerPage);
    expect(
      (await dash(`/dashboard/guardrails/${head.id}`, { cookie: reader, form: { ...form, _csrf: readerCsrf } })).status,
    ).toBe(403);
    expect(
      (await dash(`/dashboard/guardrails/${head.id}/archive`, { cookie: reader, form: { _csrf: readerCsrf } })).status,
    ).toBe(403);
    expect(await auditCount(head.id)).toBe(1);

    const archived = await dash(`/dashboard/guardrails/${head.id}/archive`, { cookie, form: { _csrf: csrf } });
    expect(archived.status).toBe(303);
    expect((await headOf(head.slug))?.archived).toBe(1);
    expect(await lastAudit(head.id)).toMatchObject({ action: "archive" });
    const page = await (await dash(`/dashboard/guardrails/${head.id}`, { cookie })).text();
    expect(page).not.toContain('id="edit-guardrail"');
    expect(page).toContain("Archived");
  });
});
