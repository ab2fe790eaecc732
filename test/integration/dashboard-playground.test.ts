import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { adminCall } from "./admin-helpers";
import { csrfIn, dash, ORIGIN, signIn } from "./dashboard-helpers";

async function promptWithTwoVersions(slug: string): Promise<string> {
  const created = await adminCall({
    method: "POST",
    path: "/prompts",
    body: {
      slug,
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "Say {{word}}" }],
      variables: [{ name: "word", required: true }],
    },
  });
  expect(created.status).toBe(201);
  const next = await adminCall({
    method: "PUT",
    path: `/prompts/${slug}`,
    body: { model: "gpt-4o", messages: [{ role: "user", content: "Shout {{word}}" }] },
  });
  expect(next.status).toBe(200);
  return ((await created.json()) as { id: string }).id;
}

const unescape = (text: string) => text.replaceAll("&quot;", '"').replaceAll("&#39;", "'").replaceAll("&amp;", "&");

describe("dashboard: prompt playground (render)", () => {
  it("renders a chosen version exactly as POST /v1/prompts/{id}/render builds it", async () => {
    const slug = `play-${crypto.randomUUID().slice(0, 8)}`;
    const id = await promptWithTwoVersions(slug);
    const cookie = await signIn();
    const href = `/dashboard/prompts/${id}`;
    const page = await (await dash(href, { cookie })).text();
    expect(page).toContain('id="render-form"');
    const csrf = csrfIn(page);

    const refused = await dash(`${href}/render`, { cookie, form: { version: "1", variables: '{"word":"hi"}' } });
    expect(refused.status).toBe(403);

    const res = await dash(`${href}/render`, {
      cookie,
      origin: ORIGIN,
      form: { _csrf: csrf, version: "1", variables: '{"word":"hi"}' },
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Rendered v1");
    const shown = /<pre id="rendered-prompt">([\s\S]*?)<\/pre>/.exec(html)?.[1] ?? "";
    expect(JSON.parse(unescape(shown))).toEqual({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "Say hi" }],
    });
    const latest = await (
      await dash(`${href}/render`, { cookie, form: { _csrf: csrf, version: "latest", variables: '{"word":"yo"}' } })
    ).text();
    expect(latest).toContain("Rendered v2");
    expect(latest).toContain("Shout yo");
    const rows = await env.DB.prepare("select count(*) as n from prompt_versions where prompt_id = ?")
      .bind(id)
      .first<{ n: number }>();
    expect(rows?.n).toBe(2); // rendering writes nothing
  });

  it("shows bad variables and unknown versions at their field", async () => {
    const slug = `play-bad-${crypto.randomUUID().slice(0, 8)}`;
    const id = await promptWithTwoVersions(slug);
    const cookie = await signIn();
    const href = `/dashboard/prompts/${id}`;
    const csrf = csrfIn(await (await dash(href, { cookie })).text());
    const syntax = await dash(`${href}/render`, { cookie, form: { _csrf: csrf, version: "1", variables: "{oops" } });
    expect(syntax.status).toBe(400);
    expect(await syntax.text()).toMatch(/id="p-variables-error" role="alert">variables: not valid JSON/);
    const notObject = await dash(`${href}/render`, { cookie, form: { _csrf: csrf, version: "1", variables: "[1]" } });
    expect(notObject.status).toBe(400);
    expect(await notObject.text()).toContain('id="p-variables-error"');
    const missing = await dash(`${href}/render`, { cookie, form: { _csrf: csrf, version: "1", variables: "{}" } });
    expect(missing.status).toBe(400);
    expect(await missing.text()).toMatch(/id="p-variables-error" role="alert">[^<]*word/);
    const unknown = await dash(`${href}/render`, { cookie, form: { _csrf: csrf, version: "9", variables: "{}" } });
    expect(unknown.status).toBe(400);
    const text = await unknown.text();
    expect(text).toContain('id="p-version-error"');
    expect(text).toContain('aria-invalid="true" aria-describedby="p-version-error"');
  });
});
