import { env } from "cloudflare:workers";
import { HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { ADMIN_TOKEN } from "./admin-helpers";
import { mintAdminKey } from "./admin-key-helpers";
import { createVirtualKey, unique } from "./governance-helpers";
import { csrfIn, dash, ORIGIN, signIn } from "./dashboard-helpers";
import { useFakeUpstreams } from "./harness";
import { loggedRow } from "./observability-helpers";
import { completion, createPrompt, fakeOpenAi, updatePrompt } from "./prompts-helpers";

useFakeUpstreams();

/** A prompt whose two versions ask differently, so the fake provider can answer each with its own text. */
async function twoVersionPrompt(): Promise<{ id: string; slug: string }> {
  const slug = unique("cmp");
  const created = await createPrompt({
    slug,
    model: "gpt-4o-mini",
    messages: [{ role: "user", content: "Say {{word}}" }],
  });
  await updatePrompt(slug, { model: "gpt-4o", messages: [{ role: "user", content: "Shout {{word}}" }] });
  return { id: created.id, slug };
}

/** Answers "quiet ..." to v1 and "LOUD ..." to v2, with different usage per version. */
function fakeProviderPerVersion() {
  return fakeOpenAi(({ body }) => {
    const messages = body.messages as Array<{ content: string }>;
    const text = messages[0]?.content ?? "";
    if (text.startsWith("Shout"))
      return HttpResponse.json({
        ...completion("LOUD HELLO", "gpt-4o"),
        usage: { prompt_tokens: 20, completion_tokens: 8, total_tokens: 28 },
      });
    return HttpResponse.json(completion("quiet hello"));
  });
}

const runIds = (page: string): string[] =>
  [...page.matchAll(/href="\/dashboard\/logs\/([0-9a-f-]{36})" data-log-link/g)].map((m) => m[1] ?? "");

const cellOf = (page: string, run: "A" | "B", attribute: string): string => {
  const section = page.split(`data-run="${run}"`)[1]?.split("</section>")[0] ?? "";
  return new RegExp(`${attribute}[^>]*>([^<]*)<`).exec(section)?.[1] ?? "";
};

async function openCompare(id: string, token = ADMIN_TOKEN) {
  const cookie = await signIn(token);
  const page = await (await dash(`/dashboard/prompts/${id}/compare`, { cookie })).text();
  return { cookie, csrf: csrfIn(page), page };
}

describe("dashboard playground: two versions side by side", () => {
  it("runs both through the chosen virtual key; each leaves one log row marked as a playground run", async () => {
    const seen = fakeProviderPerVersion();
    const vk = await createVirtualKey();
    const { id } = await twoVersionPrompt();
    const { cookie, csrf, page: form } = await openCompare(id);
    expect(form).toContain(`<option value="${vk.slug}"`);
    const res = await dash(`/dashboard/prompts/${id}/compare`, {
      cookie,
      origin: ORIGIN,
      form: { _csrf: csrf, version_a: "1", version_b: "2", virtual_key: vk.slug, variables: '{"word":"hello"}' },
    });
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(cellOf(page, "A", "data-answer")).toBe("quiet hello");
    expect(cellOf(page, "B", "data-answer")).toBe("LOUD HELLO");
    expect(cellOf(page, "A", "data-prompt-tokens")).toBe("12");
    expect(cellOf(page, "B", "data-completion-tokens")).toBe("8");
    // The provider got the virtual key's secret, never anything of the session.
    expect(seen.map((s) => s.auth).sort()).toEqual([`Bearer ${vk.secret}`, `Bearer ${vk.secret}`]);
    expect(seen.every((s) => s.body.stream === false)).toBe(true);

    const [traceA, traceB] = runIds(page);
    const rowA = await loggedRow(traceA ?? "");
    const rowB = await loggedRow(traceB ?? "");
    expect(JSON.parse(rowA.metadata)).toEqual({
      _source: "dashboard-playground",
      _actor: expect.stringMatching(/^admin:/),
    });
    expect(JSON.parse(rowB.metadata)).toMatchObject({ _source: "dashboard-playground" });
    expect([rowA.served_model, rowB.served_model]).toEqual(["gpt-4o-mini", "gpt-4o"]);
    expect(rowA.path).toMatch(/^\/v1\/prompts\/.*\/completions$/);
    const raw = await env.DB.prepare(
      "SELECT virtual_key_id, gateway_key_id, cost_usd FROM request_logs WHERE trace_id IN (?, ?)",
    )
      .bind(traceA, traceB)
      .all<{ virtual_key_id: string; gateway_key_id: string | null; cost_usd: number }>();
    expect(raw.results.map((r) => r.virtual_key_id)).toEqual([vk.id, vk.id]);
    expect(raw.results.map((r) => r.gateway_key_id)).toEqual([null, null]);
    // The page's cost is the log's cost.
    expect(Number(/data-cost="([^"]*)"/.exec(page.split('data-run="B"')[1] ?? "")?.[1])).toBe(rowB.cost_usd);
    expect(rowB.cost_usd).toBeGreaterThan(0);
  });

  it("the virtual key's own rate limit governs the runs: with rpm 1, one run answers and the other shows the 429", async () => {
    const seen = fakeProviderPerVersion();
    const vk = await createVirtualKey({ rpm: 1 });
    const { id } = await twoVersionPrompt();
    const { cookie, csrf } = await openCompare(id);
    const res = await dash(`/dashboard/prompts/${id}/compare`, {
      cookie,
      origin: ORIGIN,
      form: { _csrf: csrf, version_a: "1", version_b: "2", virtual_key: vk.slug, variables: '{"word":"hi"}' },
    });
    expect(res.status).toBe(200);
    const page = await res.text();
    const statuses = [cellOf(page, "A", "data-status"), cellOf(page, "B", "data-status")].sort();
    expect(statuses).toEqual(["200", "429"]);
    expect(page).toMatch(new RegExp(`data-run-error>rate limit exceeded for virtual key &quot;${vk.slug}&quot;`));
    expect(seen).toHaveLength(1);
    // The refused run is logged too (one row per run), as a rate-limit refusal marked as a playground run.
    const rows = await Promise.all(runIds(page).map((trace) => loggedRow(trace)));
    expect(rows.map((r) => r.status).sort()).toEqual([200, 429]);
    expect(rows.map((r) => JSON.parse(r.metadata)._source)).toEqual(["dashboard-playground", "dashboard-playground"]);
  });

  it("refuses read-only sessions (403) and posts without the CSRF token (403), calling no provider", async () => {
    const seen = fakeProviderPerVersion();
    const vk = await createVirtualKey();
    const { id } = await twoVersionPrompt();
    const viewer = await signIn((await mintAdminKey(["read"])).key);
    const viewerPage = await (await dash(`/dashboard/prompts/${id}/compare`, { cookie: viewer })).text();
    expect(viewerPage).not.toContain('id="compare-form"');
    const fields = { version_a: "1", version_b: "2", virtual_key: vk.slug, variables: '{"word":"x"}' };
    const readOnly = await dash(`/dashboard/prompts/${id}/compare`, {
      cookie: viewer,
      origin: ORIGIN,
      form: { _csrf: csrfIn(viewerPage), ...fields },
    });
    expect(readOnly.status).toBe(403);
    const { cookie } = await openCompare(id);
    const noCsrf = await dash(`/dashboard/prompts/${id}/compare`, { cookie, origin: ORIGIN, form: fields });
    expect(noCsrf.status).toBe(403);
    expect(seen).toHaveLength(0);
  });

  it("shows an unknown version, missing variables and no virtual key at their fields", async () => {
    fakeProviderPerVersion();
    const vk = await createVirtualKey();
    const { id } = await twoVersionPrompt();
    const { cookie, csrf } = await openCompare(id);
    const post = (fields: Record<string, string>) =>
      dash(`/dashboard/prompts/${id}/compare`, { cookie, origin: ORIGIN, form: { _csrf: csrf, ...fields } });
    const unknown = await post({ version_a: "1", version_b: "9", virtual_key: vk.slug, variables: '{"word":"x"}' });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toMatch(/id="cmp-version_b-error" role="alert">[^<]*9/);
    const missing = await post({ version_a: "1", version_b: "2", virtual_key: vk.slug, variables: "{}" });
    expect(missing.status).toBe(400);
    expect(await missing.text()).toMatch(/id="cmp-variables-error" role="alert">[^<]*word/);
    const noKey = await post({ version_a: "1", version_b: "2", virtual_key: "", variables: '{"word":"x"}' });
    expect(noKey.status).toBe(400);
    expect(await noKey.text()).toContain('id="cmp-virtual_key-error"');
  });
});
