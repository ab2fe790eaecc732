import { describe, expect, it } from "vitest";
import { adminCall, uniqueSlug } from "./admin-helpers";
import { dash, signIn } from "./dashboard-helpers";

const SSN = { "default.regexMatch": { rule: "\\d{3}-\\d{2}-\\d{4}" } };
const WEBHOOK = { webhookURL: "https://hooks.example.com/check", headers: { authorization: "Bearer whsec-dash" } };

async function guardrailWithTwoVersions(slug: string): Promise<string> {
  const created = await adminCall({ method: "POST", path: "/guardrails", body: { slug, name: "Hooked", ...SSN } });
  expect(created.status).toBe(201);
  const next = await adminCall({ method: "PUT", path: `/guardrails/${slug}`, body: { "default.webhook": WEBHOOK } });
  expect(next.status).toBe(200);
  return ((await created.json()) as { id: string }).id;
}

describe("dashboard: guardrails", () => {
  it("lists saved guardrails and shows each version, webhook headers masked as the admin API masks them", async () => {
    const slug = uniqueSlug("dash-guard");
    const id = await guardrailWithTwoVersions(slug);
    const cookie = await signIn();
    const list = await (await dash("/dashboard/guardrails", { cookie })).text();
    expect(list).toContain(`<a href="/dashboard/guardrails/${id}">${slug}</a>`);
    expect(list).toMatch(/aria-current="page">Guardrails</);

    const latest = await (await dash(`/dashboard/guardrails/${id}`, { cookie })).text();
    expect(latest).toContain("<h2>Version 2</h2>");
    expect(latest).toContain("default.webhook");
    expect(latest).not.toContain("whsec-dash");
    const api = (await (await adminCall({ path: `/guardrails/${slug}/versions/2` })).json()) as { guardrail: unknown };
    const shown = /<pre id="guardrail-body">([\s\S]*?)<\/pre>/.exec(latest)?.[1] ?? "";
    expect(JSON.parse(shown.replaceAll("&quot;", '"'))).toEqual(api.guardrail);
    expect(latest).toContain(`href="/dashboard/guardrails/${id}/versions/1"`);

    const v1 = await (await dash(`/dashboard/guardrails/${id}/versions/1`, { cookie })).text();
    expect(v1).toContain("<h2>Version 1</h2>");
    expect(v1).toContain("default.regexMatch");
    expect((await dash(`/dashboard/guardrails/${id}/versions/9`, { cookie })).status).toBe(404);
  });

  it("hides archived guardrails unless asked, and needs a session", async () => {
    const slug = uniqueSlug("dash-guard-old");
    const id = await guardrailWithTwoVersions(slug);
    expect((await adminCall({ method: "DELETE", path: `/guardrails/${slug}` })).status).toBe(200);
    const cookie = await signIn();
    expect(await (await dash("/dashboard/guardrails", { cookie })).text()).not.toContain(slug);
    expect(await (await dash("/dashboard/guardrails?archived=1", { cookie })).text()).toContain(slug);
    const signedOut = await dash(`/dashboard/guardrails/${id}`);
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.get("location")).toMatch(/^\/dashboard\/sign-in/);
  });
});
