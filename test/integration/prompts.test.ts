import { env } from "cloudflare:workers";
import { HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { adminCall, expectError, json, type ListBody } from "./admin-helpers";
import { bearer, createKey, createVirtualKey, unique } from "./governance-helpers";
import { gateway, sseData, useFakeUpstreams } from "./harness";
import { loggedRow, loggedRows, uniqueTrace } from "./observability-helpers";
import { completion, createPrompt, fakeOpenAi, PASSTHROUGH, setLabel, sseReply, updatePrompt } from "./prompts-helpers";

useFakeUpstreams();

const greeting = (slug = unique("greet")) => ({
  slug,
  name: "Greeting",
  messages: [
    { role: "system", content: "Answer in {{lang}}.{{#formal}} Be formal.{{/formal}}" },
    { role: "user", content: "{{question}}" },
  ],
  model: "gpt-4o-mini",
  params: { temperature: 0.2, max_tokens: 50 },
});

/** A second version: the same template (a new immutable row). */
const version2 = () => {
  const { slug: _slug, name: _name, ...fields } = greeting();
  return fields;
};

const run = (id: string, body: unknown, headers: Record<string, string> = PASSTHROUGH) =>
  gateway({ path: `/v1/prompts/${id}/completions`, headers, body });

describe("admin API: versions and labels", () => {
  it("creates version 1 with derived variables, adds version 2, lists and reads versions, archives", async () => {
    const created = await createPrompt(greeting());
    expect(created.version).toBe(1);
    expect(created.latest.variables).toEqual([
      { name: "lang", required: true },
      { name: "formal", required: false },
      { name: "question", required: true },
    ]);
    expect(created.labels).toEqual([
      { label: "production", version: null, versions: null, updated_at: null },
      { label: "staging", version: null, versions: null, updated_at: null },
      { label: "development", version: null, versions: null, updated_at: null },
    ]);
    const updated = await updatePrompt(created.slug, { messages: [{ role: "user", content: "v2 {{question}}" }] });
    expect(updated.version).toBe(2);
    const page = await json<ListBody<{ version: number }>>(
      await adminCall({ path: `/prompts/${created.slug}/versions?limit=1` }),
    );
    expect(page.data.map((v) => v.version)).toEqual([2]);
    const next = await json<ListBody<{ version: number }>>(
      await adminCall({ path: `/prompts/${created.slug}/versions?limit=1&cursor=${page.next_cursor}` }),
    );
    expect(next.data.map((v) => v.version)).toEqual([1]);
    const v1 = await json<{ messages: unknown[]; params: unknown }>(
      await adminCall({ path: `/prompts/${created.slug}/versions/1` }),
    );
    expect(v1.params).toEqual({ temperature: 0.2, max_tokens: 50 });
    await expectError(await adminCall({ path: `/prompts/${created.slug}/versions/3` }), 404, {
      code: "prompt_version_not_found",
    });
    const archived = await json<{ archived: boolean }>(
      await adminCall({ method: "DELETE", path: `/prompts/${created.slug}` }),
    );
    expect(archived.archived).toBe(true);
    await expectError(await run(created.slug, { variables: { lang: "en", question: "q" } }), 404, {
      code: "prompt_not_found",
    });
  });

  it("moves labels atomically, with an audit row; weighted splits are stored as given", async () => {
    const created = await createPrompt(greeting());
    await updatePrompt(created.slug, version2());
    const labelled = await setLabel(created.slug, "production", { version: 1 });
    expect(labelled.labels[0]).toMatchObject({ label: "production", version: 1, versions: null });
    const split = await setLabel(created.slug, "canary", {
      versions: [
        { version: 1, weight: 90 },
        { version: 2, weight: 10 },
      ],
    });
    expect(split.labels.at(-1)).toMatchObject({
      label: "canary",
      version: null,
      versions: [
        { version: 1, weight: 90 },
        { version: 2, weight: 10 },
      ],
    });
    const audit = await env.DB.prepare("SELECT action, details FROM audit_log WHERE resource_id = ? ORDER BY at")
      .bind(created.id)
      .all<{ action: string; details: string }>();
    expect(audit.results.map((row) => row.action)).toEqual(["create", "update", "label", "label"]);
    expect(JSON.parse(audit.results[3]?.details ?? "{}")).toMatchObject({ label: "canary", versions: "1:90,2:10" });
  });

  it("400s name the field", async () => {
    await expectError(
      await adminCall({
        method: "POST",
        path: "/prompts",
        body: { ...greeting(), messages: [{ role: "robot", content: "x" }] },
      }),
      400,
      {
        param: "messages[0].role",
      },
    );
    const inlineKey = { ...greeting(), config: { provider: "openai", api_key: "sk-secret" } };
    const error = await expectError(await adminCall({ method: "POST", path: "/prompts", body: inlineKey }), 400, {
      param: "config.api_key",
    });
    expect(error.message).not.toContain("sk-secret");
    await expectError(
      await adminCall({
        method: "POST",
        path: "/prompts",
        body: { ...greeting(), messages: [{ role: "user", content: "{{#a}}" }] },
      }),
      400,
      {
        param: "messages[0]",
      },
    );
    const created = await createPrompt(greeting());
    await expectError(
      await adminCall({ method: "PUT", path: `/prompts/${created.slug}/labels/production`, body: { version: 4 } }),
      400,
      { param: "version" },
    );
    await expectError(
      await adminCall({ method: "PUT", path: `/prompts/${created.slug}/labels/latest`, body: { version: 1 } }),
      400,
      { param: "label" },
    );
  });
});

describe("render", () => {
  it("returns the chat request without calling a provider; request params override the version's", async () => {
    const { slug } = await createPrompt(greeting());
    const res = await gateway({
      path: `/v1/prompts/${slug}/render`,
      headers: PASSTHROUGH,
      body: { variables: { lang: "<French>", question: "Why & how?", formal: true }, temperature: 0.9 },
    });
    expect(await json(res)).toEqual({
      success: true,
      data: {
        model: "gpt-4o-mini",
        temperature: 0.9,
        max_tokens: 50,
        messages: [
          { role: "system", content: "Answer in <French>. Be formal." },
          { role: "user", content: "Why & how?" },
        ],
      },
    });
    expect(res.headers.get("x-portkey-prompt-version")).toBe("1");
  });

  it("a missing required variable is a 400 naming it; a missing partial or a cycle is a 400 naming it", async () => {
    const { slug } = await createPrompt(greeting());
    await expectError(
      await gateway({ path: `/v1/prompts/${slug}/render`, body: { variables: { question: "q" } } }),
      400,
      {
        message: "variables.lang: required",
        param: "variables.lang",
      },
    );
    const a = unique("a");
    const b = unique("b");
    await createPrompt({ slug: a, messages: [{ role: "user", content: `A {{>${b}}}` }] });
    await createPrompt({ slug: b, messages: [{ role: "user", content: `B {{>${a}@1}}` }] });
    const cycle = await expectError(await gateway({ path: `/v1/prompts/${a}/render`, body: {} }), 400, {
      code: "partial_cycle",
    });
    expect(cycle.message).toBe(`partial cycle: ${a} -> ${b} -> ${a}`);
    const missing = await createPrompt({
      slug: unique("m"),
      messages: [{ role: "user", content: "{{>no-such-partial@2}}" }],
    });
    const error = await expectError(await gateway({ path: `/v1/prompts/${missing.slug}/render`, body: {} }), 400, {
      code: "partial_not_found",
    });
    expect(error.message).toContain('"no-such-partial@2"');
  });

  it("partials are prompts, included at a version", async () => {
    const sig = await createPrompt({ slug: unique("sig"), messages: [{ role: "user", content: "-- v1 {{team}}" }] });
    await updatePrompt(sig.slug, { messages: [{ role: "user", content: "-- v2" }] });
    const main = await createPrompt({
      slug: unique("main"),
      messages: [{ role: "user", content: `Hi {{>${sig.slug}@1}} / {{>${sig.slug}}}` }],
    });
    const body = await json<{ data: { messages: Array<{ content: string }> } }>(
      await gateway({ path: `/v1/prompts/${main.slug}/render`, body: { variables: { team: "ops" } } }),
    );
    expect(body.data.messages[0]?.content).toBe("Hi -- v1 ops / -- v2");
  });
});

describe("running a prompt through the pipeline", () => {
  it("JSON: the provider gets the rendered request; versions by @n, @latest, labels; one log row with the prompt fields", async () => {
    const created = await createPrompt(greeting());
    await updatePrompt(created.slug, { messages: [{ role: "user", content: "v2: {{question}}" }], model: "gpt-4o" });
    await setLabel(created.slug, "production", { version: 1 });
    const seen = fakeOpenAi((call) => HttpResponse.json(completion("hi", String(call.body.model))));
    const trace = uniqueTrace("prompt-run");
    const res = await run(
      created.slug,
      { variables: { lang: "en", question: "q?" }, max_tokens: 7 },
      { ...PASSTHROUGH, "x-portkey-trace-id": trace },
    );
    const body = await json<{ choices: Array<{ message: { content: string } }> }>(res);
    expect(body.choices[0]?.message.content).toBe("hi");
    expect(res.headers.get("x-portkey-prompt-version")).toBe("1");
    expect(seen[0]?.auth).toBe("Bearer sk-caller");
    expect(seen[0]?.body).toEqual({
      model: "gpt-4o-mini",
      temperature: 0.2,
      max_tokens: 7,
      messages: [
        { role: "system", content: "Answer in en." },
        { role: "user", content: "q?" },
      ],
    });
    const latest = await run(`${created.slug}@latest`, { variables: { question: "z" } });
    expect(latest.headers.get("x-portkey-prompt-version")).toBe("2");
    expect(seen[1]?.body).toMatchObject({ model: "gpt-4o", messages: [{ role: "user", content: "v2: z" }] });
    const pinned = await run(`${created.slug}@2`, { variables: { question: "z" }, model: "gpt-4.1-mini" });
    expect(pinned.status).toBe(200);
    expect(seen[2]?.body.model).toBe("gpt-4.1-mini");

    const row = (await loggedRow(trace)) as unknown as Record<string, unknown>;
    expect(row).toMatchObject({
      prompt_id: created.id,
      prompt_version: 1,
      prompt_label: "production",
      operation: "chat",
      status: 200,
      prompt_tokens: 12,
    });
  });

  it("stream: the client gets the provider's SSE, split at awkward bytes, as chat chunks", async () => {
    const { slug } = await createPrompt(greeting());
    fakeOpenAi(() => sseReply("Bonjour"));
    const res = await run(slug, { variables: { lang: "fr", question: "hi" }, stream: true });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(res.headers.get("x-portkey-prompt-version")).toBe("1");
    const frames = await sseData(res);
    expect(frames.at(-1)).toBe("[DONE]");
    const text = frames
      .slice(0, -1)
      .map((f) => JSON.parse(f) as { choices: Array<{ delta?: { content?: string } }> })
      .map((c) => c.choices[0]?.delta?.content ?? "")
      .join("");
    expect(text).toBe("Bonjour");
  });

  it("a version with a virtual key routes with the vault's key, whatever the caller's headers say", async () => {
    const vk = await createVirtualKey();
    const { slug } = await createPrompt({ ...greeting(), virtual_key: vk.slug });
    const seen = fakeOpenAi();
    const { key } = await createKey();
    const res = await run(
      slug,
      { variables: { lang: "en", question: "q" } },
      { ...bearer(key), "x-portkey-provider": "groq" },
    );
    expect(res.status).toBe(200);
    expect(seen[0]?.auth).toBe(`Bearer ${vk.secret}`);
  });

  it("a version with a saved config falls back to its second target", async () => {
    const first = await createVirtualKey();
    const second = await createVirtualKey();
    const config = {
      strategy: { mode: "fallback" },
      targets: [{ virtual_key: first.slug }, { virtual_key: second.slug }],
    };
    const saved = await json<{ slug: string }>(
      await adminCall({ method: "POST", path: "/configs", body: { slug: unique("cfg"), config } }),
      201,
    );
    const { slug } = await createPrompt({ ...greeting(), config: saved.slug });
    const seen = fakeOpenAi((call) =>
      call.auth === `Bearer ${first.secret}`
        ? HttpResponse.json({ error: { message: "down", type: "server_error" } }, { status: 500 })
        : HttpResponse.json(completion("second")),
    );
    const { key } = await createKey();
    const res = await run(slug, { variables: { lang: "en", question: "q" } }, bearer(key));
    const body = await json<{ choices: Array<{ message: { content: string } }> }>(res);
    expect(body.choices[0]?.message.content).toBe("second");
    expect(res.headers.get("x-portkey-last-used-option-index")).toBe("config.targets[1]");
    expect(seen.map((s) => s.auth)).toEqual([`Bearer ${first.secret}`, `Bearer ${second.secret}`]);
  });

  it("a weighted label is sticky per user (metadata _user) and says which version ran", async () => {
    const { slug } = await createPrompt(greeting());
    await updatePrompt(slug, version2());
    await setLabel(slug, "production", {
      versions: [
        { version: 1, weight: 50 },
        { version: 2, weight: 50 },
      ],
    });
    fakeOpenAi();
    const versionsFor = async (user: string) => {
      const seen = new Set<string | null>();
      for (let i = 0; i < 3; i++) {
        const res = await run(
          slug,
          { variables: { lang: "en", question: "q" } },
          { ...PASSTHROUGH, "x-portkey-metadata": JSON.stringify({ _user: user }) },
        );
        expect(res.status).toBe(200);
        seen.add(res.headers.get("x-portkey-prompt-version"));
      }
      return seen;
    };
    // 16 users: all on one side of a 50/50 split by chance has odds of 2^-15 (the draw depends on the random prompt id).
    const perUser = await Promise.all(Array.from({ length: 16 }, (_, i) => versionsFor(`user-${i}`)));
    for (const seen of perUser) expect(seen.size).toBe(1);
    expect(new Set(perUser.flatMap((seen) => [...seen]))).toEqual(new Set(["1", "2"]));
  });

  it("404 for an unknown prompt, version or empty label, with one log row", async () => {
    const { slug } = await createPrompt(greeting());
    const trace = uniqueTrace("prompt-404");
    await expectError(await run("no-such-prompt", {}, { ...PASSTHROUGH, "x-portkey-trace-id": trace }), 404, {
      code: "prompt_not_found",
    });
    await expectError(await run(`${slug}@9`, {}), 404, { code: "prompt_version_not_found" });
    await expectError(await run(`${slug}@staging`, {}), 404, { code: "prompt_label_not_set" });
    await expectError(await run(slug, { variables: [] }), 400, { param: "variables" });
    expect(await loggedRows(trace)).toHaveLength(1);
  });
});

describe("analytics per version", () => {
  it("compares requests, errors, tokens and cost per version of one prompt", async () => {
    const created = await createPrompt(greeting());
    await updatePrompt(created.slug, version2());
    fakeOpenAi((call) =>
      (call.body.messages as Array<{ content: string }>)[1]?.content === "fail"
        ? HttpResponse.json({ error: { message: "boom" } }, { status: 500 })
        : HttpResponse.json(completion("ok")),
    );
    const traces: string[] = [];
    const send = async (id: string, question: string) => {
      const trace = uniqueTrace("prompt-analytics");
      traces.push(trace);
      await run(id, { variables: { lang: "en", question } }, { ...PASSTHROUGH, "x-portkey-trace-id": trace });
    };
    await send(`${created.slug}@1`, "a");
    await send(`${created.slug}@2`, "b");
    await send(`${created.slug}@2`, "fail");
    for (const trace of traces) await loggedRow(trace);
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const res = await adminCall({
      path: `/analytics?group_by=prompt_version&prompt=${created.slug}&interval=hour&from=${from}`,
    });
    const body = await json<{
      totals: { requests: number };
      groups: Array<{ value: string; version: number; totals: Record<string, number | null> }>;
    }>(res);
    expect(body.totals.requests).toBe(3);
    expect(
      body.groups.map((g) => [g.value, g.version, g.totals.requests, g.totals.errors, g.totals.prompt_tokens]),
    ).toEqual([
      [`${created.slug}@1`, 1, 1, 0, 12],
      [`${created.slug}@2`, 2, 2, 1, 12],
    ]);
    expect(body.groups[0]?.totals.cost_usd).toBeGreaterThan(0);
    expect(body.groups[1]?.totals.latency_p50_ms).not.toBeNull();
    await expectError(await adminCall({ path: "/analytics?group_by=prompt_version" }), 400, { param: "prompt" });
  });
});
