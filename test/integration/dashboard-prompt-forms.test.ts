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

const MESSAGES = [
  { role: "system", content: "Answer in {{language}}." },
  { role: "user", content: "{{question}}" },
];
const VARIABLES = [
  { name: "language", default: "English" },
  { name: "question", required: true },
];

interface PromptHead {
  id: string;
  slug: string;
  name: string;
  description: string | null;
  latest_version: number;
  archived: number;
}

const headOf = (slug: string) =>
  env.DB.prepare("select id, slug, name, description, latest_version, archived from prompts where slug = ?")
    .bind(slug)
    .first<PromptHead>();

const templateOf = async (id: string, version: number) =>
  JSON.parse(
    (
      await env.DB.prepare("select template from prompt_versions where prompt_id = ? and version = ?")
        .bind(id, version)
        .first<{ template: string }>()
    )?.template ?? "null",
  ) as unknown;

const GOOD = (slug: string) => ({
  slug,
  name: "Support answer",
  description: "First-line support",
  messages: JSON.stringify(MESSAGES),
  model: "gpt-4o-mini",
  params: '{"temperature": 0.2}',
  variables: JSON.stringify(VARIABLES),
  virtual_key: "",
  config: "",
});

async function newPageCsrf(cookie: string) {
  const res = await dash("/dashboard/prompts/new", { cookie });
  expect(res.status).toBe(200);
  return csrfIn(await res.text());
}

describe("dashboard: create a prompt", () => {
  it("a good post writes the prompt, version 1 (as the admin API stores it) and a create audit row", async () => {
    const cookie = await signIn();
    const list = await (await dash("/dashboard/prompts", { cookie })).text();
    expect(list).toContain('href="/dashboard/prompts/new"');
    const slug = uniqueSlug("ui-prompt");
    const res = await dash("/dashboard/prompts", {
      cookie,
      origin: ORIGIN,
      form: { _csrf: await newPageCsrf(cookie), ...GOOD(slug) },
    });
    expect(res.status).toBe(303);
    const head = await headOf(slug);
    expect(head).toMatchObject({
      name: "Support answer",
      description: "First-line support",
      latest_version: 1,
      archived: 0,
    });
    expect(res.headers.get("location")).toBe(`/dashboard/prompts/${head?.id}`);
    const apiSlug = uniqueSlug("api-prompt");
    const body = {
      slug: apiSlug,
      messages: MESSAGES,
      model: "gpt-4o-mini",
      params: { temperature: 0.2 },
      variables: VARIABLES,
    };
    expect((await adminCall({ method: "POST", path: "/prompts", body })).status).toBe(201);
    expect(await templateOf(head?.id ?? "", 1)).toEqual(await templateOf((await headOf(apiSlug))?.id ?? "", 1));
    expect(await lastAudit(head?.id ?? "")).toMatchObject({ action: "create", resource_type: "prompt" });
  });

  it("keeps a saved config's slug as a string and parses an inline config; both routes at once is the API's 400", async () => {
    const cookie = await signIn();
    const csrf = await newPageCsrf(cookie);
    const slug = uniqueSlug("ui-prompt-vk");
    const vk = await dash("/dashboard/prompts", {
      cookie,
      form: { _csrf: csrf, ...GOOD(slug), virtual_key: "openai-prod" },
    });
    expect(vk.status).toBe(303);
    expect(await templateOf((await headOf(slug))?.id ?? "", 1)).toMatchObject({ virtual_key: "openai-prod" });
    const both = { ...GOOD(uniqueSlug("ui-prompt-both")), virtual_key: "openai-prod", config: "some-config" };
    const api = await apiErrorOf({
      method: "POST",
      path: "/prompts",
      body: { slug: both.slug, messages: MESSAGES, virtual_key: "openai-prod", config: "some-config" },
    });
    const res = await dash("/dashboard/prompts", { cookie, form: { _csrf: csrf, ...both } });
    expect(res.status).toBe(api.status);
    expectFieldError(await res.text(), "p-config", api.message);
  });

  it("errors land at their field with the admin API's status and message; nothing is written", async () => {
    const cookie = await signIn();
    const csrf = await newPageCsrf(cookie);
    const cases: Array<{ form: Record<string, string>; field: string; body: Record<string, unknown> }> = [
      {
        form: { messages: '[{"role": "robot", "content": "hi"}]' },
        field: "messages",
        body: { messages: [{ role: "robot", content: "hi" }] },
      },
      {
        form: { messages: '[{"role": "user", "content": "{{#open}}"}]' },
        field: "messages",
        body: { messages: [{ role: "user", content: "{{#open}}" }] },
      },
      { form: { params: '{"stream": true}' }, field: "params", body: { messages: MESSAGES, params: { stream: true } } },
      {
        form: { variables: '[{"name": "1bad"}]' },
        field: "variables",
        body: { messages: MESSAGES, variables: [{ name: "1bad" }] },
      },
      {
        form: { config: '{"provider": "openai", "api_key": "sk-inline-secret"}' },
        field: "config",
        body: { messages: MESSAGES, config: { provider: "openai", api_key: "sk-inline-secret" } },
      },
    ];
    for (const { form, field, body } of cases) {
      const slug = uniqueSlug("ui-prompt-bad");
      const api = await apiErrorOf({ method: "POST", path: "/prompts", body: { slug, ...body } });
      expect(api.status, field).toBe(400);
      const res = await dash("/dashboard/prompts", { cookie, form: { _csrf: csrf, ...GOOD(slug), ...form } });
      expect(res.status, field).toBe(400);
      const page = await res.text();
      expectFieldError(page, `p-${field}`, api.message);
      if (api.param !== field) expect(page).toContain(`<code data-error-path>${escaped(api.param)}</code>`);
      expect(await headOf(slug), field).toBeNull();
    }
    const broken = await dash("/dashboard/prompts", {
      cookie,
      form: { _csrf: csrf, ...GOOD(uniqueSlug("x")), messages: "[" },
    });
    expect(broken.status).toBe(400);
    expect(await broken.text()).toMatch(/id="p-messages-error" role="alert">messages: not valid JSON/);
    const taken = uniqueSlug("ui-prompt-taken");
    expect((await dash("/dashboard/prompts", { cookie, form: { _csrf: csrf, ...GOOD(taken) } })).status).toBe(303);
    const again = await dash("/dashboard/prompts", { cookie, form: { _csrf: csrf, ...GOOD(taken) } });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('id="p-slug-error"');
  });

  it("refuses a post without the CSRF token and a read-only session (403)", async () => {
    const slug = uniqueSlug("ui-prompt-refused");
    expect((await dash("/dashboard/prompts", { cookie: await signIn(), form: GOOD(slug) })).status).toBe(403);
    const reader = await readOnlyCookie();
    const list = await (await dash("/dashboard/prompts", { cookie: reader })).text();
    expect(list).not.toContain('href="/dashboard/prompts/new"');
    // The page is readable without its form (dashboard-read-only.test.ts); the post is refused.
    expect((await dash("/dashboard/prompts/new", { cookie: reader })).status).toBe(200);
    expect(
      (await dash("/dashboard/prompts", { cookie: reader, form: { _csrf: csrfIn(list), ...GOOD(slug) } })).status,
    ).toBe(403);
    expect(await headOf(slug)).toBeNull();
  });
});

describe("dashboard: a prompt's new version and archive", () => {
  async function created(cookie: string): Promise<PromptHead> {
    const slug = uniqueSlug("ui-prompt-v");
    await dash("/dashboard/prompts", { cookie, form: { _csrf: await newPageCsrf(cookie), ...GOOD(slug) } });
    const head = await headOf(slug);
    if (!head) throw new Error("not created");
    return head;
  }

  it("prefills from the latest version; a post saves version 2 with an update audit row and the page lists it", async () => {
    const cookie = await signIn();
    const head = await created(cookie);
    const detail = await (await dash(`/dashboard/prompts/${head.id}`, { cookie })).text();
    expect(detail).toContain(`href="/dashboard/prompts/${head.id}/versions/new"`);
    const form = await (await dash(`/dashboard/prompts/${head.id}/versions/new`, { cookie })).text();
    expect(form).toMatch(/id="v-model"\s+name="model"\s+type="text"\s+value="gpt-4o-mini"/);
    expect(form).toContain(escaped(JSON.stringify(MESSAGES, null, 2)));
    const messages = JSON.stringify([{ role: "user", content: "v2: {{question}}" }]);
    const res = await dash(`/dashboard/prompts/${head.id}/versions`, {
      cookie,
      form: { _csrf: csrfIn(form), name: "Support v2", messages, model: "gpt-4o", variables: "", params: "" },
    });
    expect(res.status).toBe(303);
    expect(await headOf(head.slug)).toMatchObject({
      latest_version: 2,
      name: "Support v2",
      description: "First-line support",
    });
    expect(await templateOf(head.id, 2)).toEqual({
      messages: JSON.parse(messages),
      model: "gpt-4o",
      variables: [{ name: "question", required: true }], // derived from the messages, as the API derives them
    });
    expect(await lastAudit(head.id)).toMatchObject({ action: "update" });
    const page = await (await dash(`/dashboard/prompts/${head.id}`, { cookie })).text();
    expect(page).toContain("v2 ·");
    expect(page).toContain("v2: {{question}}");
  });

  it("a bad version is the API's 400 at the field; CSRF, read-only refused; archive is audited and ends editing", async () => {
    const cookie = await signIn();
    const head = await created(cookie);
    const csrf = csrfIn(await (await dash(`/dashboard/prompts/${head.id}/versions/new`, { cookie })).text());
    const api = await apiErrorOf({ method: "POST", path: `/prompts/${head.slug}/versions`, body: { messages: [] } });
    const bad = await dash(`/dashboard/prompts/${head.id}/versions`, { cookie, form: { _csrf: csrf, messages: "[]" } });
    expect(bad.status).toBe(api.status);
    expectFieldError(await bad.text(), "v-messages", api.message);
    expect(
      (await dash(`/dashboard/prompts/${head.id}/versions`, { cookie, form: { messages: JSON.stringify(MESSAGES) } }))
        .status,
    ).toBe(403);
    const reader = await readOnlyCookie();
    const readerPage = await (await dash(`/dashboard/prompts/${head.id}`, { cookie: reader })).text();
    expect(readerPage).not.toContain('id="prompt-actions"');
    const readerForm = { _csrf: csrfIn(readerPage), messages: JSON.stringify(MESSAGES) };
    expect((await dash(`/dashboard/prompts/${head.id}/versions`, { cookie: reader, form: readerForm })).status).toBe(
      403,
    );
    expect((await dash(`/dashboard/prompts/${head.id}/archive`, { cookie: reader, form: readerForm })).status).toBe(
      403,
    );
    expect((await dash(`/dashboard/prompts/${head.id}/archive`, { cookie, form: {} })).status).toBe(403);
    expect(await auditCount(head.id)).toBe(1);
    expect((await headOf(head.slug))?.latest_version).toBe(1);

    const archived = await dash(`/dashboard/prompts/${head.id}/archive`, { cookie, form: { _csrf: csrf } });
    expect(archived.status).toBe(303);
    expect((await headOf(head.slug))?.archived).toBe(1);
    expect(await lastAudit(head.id)).toMatchObject({ action: "archive" });
    expect(await (await dash(`/dashboard/prompts/${head.id}`, { cookie })).text()).not.toContain('id="prompt-actions"');
    expect((await dash(`/dashboard/prompts/${head.id}/versions/new`, { cookie })).status).toBe(409);
  });
});
