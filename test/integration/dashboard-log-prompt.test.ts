import { HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { dash, signIn } from "./dashboard-helpers";
import { escaped } from "./dashboard-manage-helpers";
import { unique } from "./governance-helpers";
import { useFakeUpstreams } from "./harness";
import { callWith } from "./observability-fakes";
import { loggedRow, uniqueTrace } from "./observability-helpers";
import { completion, createPrompt, fakeOpenAi, PASSTHROUGH, setLabel } from "./prompts-helpers";

useFakeUpstreams();

/** Masked by pattern before the variables are stored: the page must show the stored (scrubbed) text only. */
const PASTED_KEY = "sk-proj-abcdefghijklmnopqrstuvwxyz012345";

/** A prompt run through its `staging` label, logged (bodies as the vars say); its log page's text. */
async function runAndOpenLog(vars: Partial<Env>) {
  const prompt = await createPrompt({
    slug: unique("log-page"),
    model: "gpt-4o-mini",
    messages: [{ role: "user", content: "Hello {{name}}, about {{topic}}" }],
  });
  await setLabel(prompt.slug, "staging", { version: 1 });
  fakeOpenAi(() => HttpResponse.json(completion("ok")));
  const trace = uniqueTrace("log-page");
  const res = await callWith(vars, {
    path: `/v1/prompts/${prompt.slug}@staging/completions`,
    headers: { ...PASSTHROUGH, "x-portkey-trace-id": trace },
    body: { variables: { name: "Ada", topic: `my key ${PASTED_KEY}` } },
  });
  expect(res.status, res.text).toBe(200);
  const row = (await loggedRow(trace)) as unknown as Record<string, unknown>;
  const page = await dash(`/dashboard/logs/${String(row.id)}`, { cookie: await signIn() });
  expect(page.status).toBe(200);
  return { prompt, row, html: await page.text() };
}

describe("dashboard: a prompt run's log page", { timeout: 30_000 }, () => {
  it("shows the prompt id (linked), version, label and the logged variables as stored", async () => {
    const { prompt, row, html } = await runAndOpenLog({ LOG_BODIES: "true" });
    expect(row).toMatchObject({ prompt_id: prompt.id, prompt_version: 1, prompt_label: "staging" });
    const section = html.slice(html.indexOf('id="log-prompt"'));
    expect(section).toContain(`href="/dashboard/prompts/${prompt.id}"><code>${prompt.id}</code>`);
    expect(section).toMatch(/<dt>Version<\/dt>\s*<dd>v1<\/dd>/);
    expect(section).toMatch(/<dt>Label<\/dt>\s*<dd>staging<\/dd>/);
    const stored = String(row.prompt_variables);
    expect(stored).toContain("[REDACTED]");
    expect(html).toContain(`<pre id="log-prompt-variables">${escaped(stored)}</pre>`);
    expect(html).not.toContain(PASTED_KEY);
  });

  it("without body logging: the prompt's facts, no variables", async () => {
    const { prompt, row, html } = await runAndOpenLog({});
    expect(row.prompt_variables).toBeNull();
    expect(html).toContain(`<code>${prompt.id}</code>`);
    expect(html).not.toContain('id="log-prompt-variables"');
    expect(html).not.toContain(PASTED_KEY);
  });

  it("a request that ran no prompt has no prompt section", async () => {
    fakeOpenAi(() => HttpResponse.json(completion("ok")));
    const trace = uniqueTrace("log-page-chat");
    const res = await callWith(
      { LOG_BODIES: "true" },
      {
        headers: { ...PASSTHROUGH, "x-portkey-trace-id": trace },
        body: { model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] },
      },
    );
    expect(res.status).toBe(200);
    const row = (await loggedRow(trace)) as unknown as Record<string, unknown>;
    const html = await (await dash(`/dashboard/logs/${String(row.id)}`, { cookie: await signIn() })).text();
    expect(html).toContain("Request body");
    expect(html).not.toContain('id="log-prompt"');
  });
});
