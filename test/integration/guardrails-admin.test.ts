import { env } from "cloudflare:workers";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { adminCall, expectError, json, uniqueSlug, type ListBody } from "./admin-helpers";
import { gateway, upstream, useFakeUpstreams } from "./harness";
import { completion } from "./routing-upstreams";

useFakeUpstreams();

const OPENAI = "https://api.openai.com/v1/chat/completions";
const auth = { "x-portkey-provider": "openai", authorization: "Bearer sk-test" };
const ask = (content: string) => ({ model: "gpt-4o-mini", messages: [{ role: "user", content }] });
const SSN = { "default.regexMatch": { rule: "\\d{3}-\\d{2}-\\d{4}", not: true } };

interface GuardrailBody {
  object: "guardrail";
  id: string;
  slug: string;
  name: string;
  version: number;
  archived: boolean;
  guardrail?: Record<string, unknown>;
}

interface VersionBody {
  object: "guardrail.version";
  guardrail_id: string;
  version: number;
  created_by: string;
  guardrail?: Record<string, unknown>;
}

function fakeOpenAI() {
  const seen: unknown[] = [];
  upstream.use(
    http.post(OPENAI, async ({ request }) => {
      seen.push(await request.json());
      return HttpResponse.json(completion("gpt-4o-mini", "fine"));
    }),
  );
  return seen;
}

const create = async (body: Record<string, unknown>) =>
  json<GuardrailBody>(await adminCall({ method: "POST", path: "/guardrails", body }), 201);

const askWith = (slug: string, content: string) =>
  gateway({
    headers: { ...auth, "x-portkey-config": JSON.stringify({ input_guardrails: [slug] }) },
    body: ask(content),
  });

describe("/admin/guardrails lifecycle", () => {
  it("create, use by slug from a config, update (v2 applies at once), versions, archive", async () => {
    const slug = uniqueSlug("no-ssn");
    const created = await create({ slug, name: "No SSNs", ...SSN, deny: true });
    expect(created).toMatchObject({ object: "guardrail", slug, name: "No SSNs", version: 1, archived: false });
    expect(created.guardrail).toEqual({ ...SSN, deny: true });

    const seen = fakeOpenAI();
    expect((await askWith(slug, "my ssn is 123-45-6789")).status).toBe(446);
    expect(seen).toHaveLength(0);

    // v2 in the full form: flags only. The isolate that served the change sees it at once (no 30 s wait).
    const checks = [{ id: "default.regexMatch", parameters: SSN["default.regexMatch"] }];
    const updated = await json<GuardrailBody>(
      await adminCall({ method: "PUT", path: `/guardrails/${slug}`, body: { checks, deny: false } }),
    );
    expect(updated).toMatchObject({ id: created.id, version: 2, name: "No SSNs" });
    expect((await askWith(slug, "my ssn is 123-45-6789")).status).toBe(246);
    expect(seen).toHaveLength(1);

    const byId = await json<GuardrailBody>(await adminCall({ path: `/guardrails/${created.id}` }));
    expect(byId).toEqual(await json<GuardrailBody>(await adminCall({ path: `/guardrails/${slug}` })));
    expect(byId.guardrail).toEqual({ checks, deny: false });
    const versions = await json<ListBody<VersionBody>>(await adminCall({ path: `/guardrails/${slug}/versions` }));
    expect(versions.data.map((v) => v.version)).toEqual([2, 1]);
    expect(versions.data[0]?.guardrail).toBeUndefined();
    const v1 = await json<VersionBody>(await adminCall({ path: `/guardrails/${slug}/versions/1` }));
    expect(v1).toMatchObject({ guardrail_id: created.id, version: 1, guardrail: { ...SSN, deny: true } });
    await expectError(await adminCall({ path: `/guardrails/${slug}/versions/9` }), 404, {
      code: "guardrail_version_not_found",
    });

    const archived = await json<GuardrailBody>(await adminCall({ method: "DELETE", path: `/guardrails/${slug}` }));
    expect(archived.archived).toBe(true);
    const gone = await askWith(slug, "hello");
    expect(gone.status).toBe(400);
    expect(await gone.text()).toContain("not found");
    await expectError(await adminCall({ method: "PUT", path: `/guardrails/${created.id}`, body: SSN }), 409, {
      code: "guardrail_archived",
    });

    const audit = await env.DB.prepare(
      "SELECT action, resource_type, details FROM audit_log WHERE resource_id = ? ORDER BY at, rowid",
    )
      .bind(created.id)
      .all<{ action: string; resource_type: string; details: string }>();
    expect(audit.results.map((row) => [row.action, row.resource_type])).toEqual([
      ["create", "guardrail"],
      ["update", "guardrail"],
      ["archive", "guardrail"],
    ]);
    expect(JSON.parse(audit.results[1]?.details ?? "{}")).toEqual({ slug, version: 2, previous_version: 1 });
  });

  it("lists newest first with keyset pagination; archived ones only on request", async () => {
    const slugs = [uniqueSlug("page"), uniqueSlug("page"), uniqueSlug("page")];
    for (const slug of slugs) await create({ slug, notNull: {} });
    await json(await adminCall({ method: "DELETE", path: `/guardrails/${slugs[0] ?? ""}` }));
    const first = await json<ListBody<GuardrailBody>>(await adminCall({ path: "/guardrails?limit=1" }));
    expect(first.data.map((g) => g.slug)).toEqual([slugs[2]]);
    expect(first.data[0]?.guardrail).toBeUndefined();
    const second = await json<ListBody<GuardrailBody>>(
      await adminCall({ path: `/guardrails?limit=1&cursor=${first.next_cursor ?? ""}` }),
    );
    expect(second.data.map((g) => g.slug)).toEqual([slugs[1]]);
    const all = await json<ListBody<GuardrailBody>>(
      await adminCall({ path: "/guardrails?limit=100&include_archived=true" }),
    );
    expect(all.data.find((g) => g.slug === slugs[0])?.archived).toBe(true);
    const live = await json<ListBody<GuardrailBody>>(await adminCall({ path: "/guardrails?limit=100" }));
    expect(live.data.some((g) => g.slug === slugs[0])).toBe(false);
  });
});

describe("/admin/guardrails validation", () => {
  it("a bad parameter, an unknown check or a bad full-form check is a 400 naming the path; nothing is stored", async () => {
    const slug = uniqueSlug("bad");
    const bad = await adminCall({
      method: "POST",
      path: "/guardrails",
      body: { slug, wordCount: { maxWords: "ten" } },
    });
    const error = await expectError(bad, 400, { code: "invalid_guardrail", param: "default.wordCount.maxWords" });
    expect(error.message).toMatch(/^default\.wordCount\.maxWords: /);
    const unknown = await adminCall({ method: "POST", path: "/guardrails", body: { slug, "default.nope": {} } });
    expect((await expectError(unknown, 400, { param: "default.nope" })).message).toContain("unknown check");
    const full = await adminCall({
      method: "POST",
      path: "/guardrails",
      body: { slug, checks: [{ id: "default.notNull" }, { id: "default.wordCount", parameters: { maxWords: -1 } }] },
    });
    await expectError(full, 400, { param: "checks[1].parameters.maxWords" });
    await expectError(await adminCall({ method: "POST", path: "/guardrails", body: { slug } }), 400);
    await expectError(await adminCall({ path: `/guardrails/${slug}` }), 404, { code: "guardrail_not_found" });
  });

  it("a slug is unique among live guardrails (409); PUT cannot change it", async () => {
    const slug = uniqueSlug("dup");
    await create({ slug, notNull: {} });
    await expectError(await adminCall({ method: "POST", path: "/guardrails", body: { slug, notNull: {} } }), 409, {
      code: "guardrail_slug_taken",
    });
    const renamed = await adminCall({
      method: "PUT",
      path: `/guardrails/${slug}`,
      body: { slug: "other", notNull: {} },
    });
    await expectError(renamed, 400, { param: "slug" });
  });

  it("a webhook's headers are stored but never echoed", async () => {
    const slug = uniqueSlug("hook");
    const webhook = { webhookURL: "https://hooks.example.com/check", headers: { authorization: "Bearer whsec-123" } };
    const created = await create({ slug, "default.webhook": webhook });
    expect(JSON.stringify(created)).not.toContain("whsec-123");
    const read = await adminCall({ path: `/guardrails/${slug}` });
    expect(await read.text()).not.toContain("whsec-123");
    const stored = await env.DB.prepare("SELECT definition FROM guardrail_versions WHERE guardrail_id = ?")
      .bind(created.id)
      .first<{ definition: string }>();
    expect(stored?.definition).toContain("whsec-123");
  });
});
