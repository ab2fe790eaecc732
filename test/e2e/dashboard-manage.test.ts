/// <reference types="node" />
/**
 * The dashboard's management forms in a real browser (Debian's Chromium through playwright-core) against
 * `wrangler dev` and the fake providers: a guardrail created in the UI and set as a gateway key's default guardrail
 * in the UI denies the openai SDK's request with 446; a prompt and a new version created in the UI render.
 * Screenshots for docs/dashboard/ only with DASHBOARD_SCREENSHOTS=1.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import OpenAI, { APIError } from "openai";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, type TestBrowser } from "./dashboard-browser";
import type { FakeProviders } from "./fake-providers";
import { REPO_ROOT, type GatewayProcess } from "./gateway-process";
import { useFakesAndGateway } from "./servers";

const ADMIN_TOKEN = "e2e-dashboard-manage-token";
const SHOTS = join(REPO_ROOT, "docs", "dashboard");
const RUN = Date.now().toString(36);

let fake: FakeProviders;
let gateway: GatewayProcess;
let chrome: TestBrowser;
let page: Page;

useFakesAndGateway(
  (servers) => {
    ({ fake, gateway } = servers);
  },
  { vars: { ADMIN_TOKEN, VAULT_KEY: "ZTJlLW9ubHktdmF1bHQta2V5LTMyLWJ5dGVzLi4uLi4" } },
);

beforeAll(async () => {
  chrome = await launchChromium();
  page = chrome.context.pages()[0] ?? (await chrome.context.newPage());
  mkdirSync(SHOTS, { recursive: true });
  await page.goto(url("/dashboard/sign-in"));
  await page.getByLabel("Admin token or admin API key").fill(ADMIN_TOKEN);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(url("/dashboard"));
});

afterAll(async () => {
  await chrome?.close();
});

const url = (path: string) => `${gateway.origin}${path}`;
const shot = (name: string) =>
  page.screenshot(
    process.env.DASHBOARD_SCREENSHOTS ? { path: join(SHOTS, `${name}.png`), fullPage: true } : { fullPage: true },
  );

async function createVirtualKey(slug: string): Promise<void> {
  const res = await fetch(url("/admin/virtual-keys"), {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ slug, provider: "openai", api_key: "sk-e2e-vault", custom_host: fake.hosts.openai }),
  });
  expect(res.status, await res.text()).toBe(201);
}

/** How far the page is wider than the window (evaluated in the page: a string, as the tests have no DOM types). */
const SIDEWAYS = "document.documentElement.scrollWidth - window.innerWidth";

const chat = (sdk: OpenAI, model: string, content: string) =>
  sdk.chat.completions.create({ model, messages: [{ role: "user", content }] });

describe("dashboard management forms in Chromium", () => {
  it("a guardrail created in the UI, set as a key's default in the UI, denies the openai SDK with 446", async () => {
    const guardrail = `short-inputs-${RUN}`;
    await page.goto(url("/dashboard/guardrails"));
    await page.getByLabel("Slug", { exact: true }).fill(guardrail);
    await page.getByLabel("Name (optional)", { exact: true }).fill("Short inputs");
    await page.getByLabel(/^Guardrail JSON/).fill(JSON.stringify({ "default.wordCount": { maxWords: 5 }, deny: true }));
    await page.getByRole("button", { name: "Create guardrail" }).click();
    await page.waitForURL(/\/dashboard\/guardrails\/[0-9a-f-]{36}$/);
    expect(await page.locator("#guardrail-body").textContent()).toContain('"maxWords": 5');
    await shot("guardrail");

    const vk = `manage-vk-${RUN}`;
    await createVirtualKey(vk);
    const name = `manage-key-${RUN}`;
    await page.goto(url("/dashboard/keys"));
    await page.getByLabel("Name").fill(name);
    await page.getByRole("button", { name: "Create key" }).click();
    const secret = (await page.locator("#new-secret").textContent()) ?? "";
    expect(secret).toMatch(/^pk-gw-/);
    const sdk = new OpenAI({ baseURL: `${gateway.origin}/v1`, apiKey: secret, maxRetries: 0 });
    const long = "please write me a long poem about the sea";
    expect((await chat(sdk, `@${vk}/gpt-4o-mini`, long)).choices[0]?.message.content).toBeTruthy();

    await page.locator("#gateway-keys tbody tr", { hasText: name }).getByRole("link", { name: "Edit" }).click();
    await page.getByLabel(/^Default guardrails JSON/).fill(JSON.stringify({ input: [guardrail] }));
    await page.getByLabel("Team (optional)").fill("docs");
    await shot("key-edit");
    await page.getByRole("button", { name: "Save" }).click();
    await page.waitForURL(url("/dashboard/keys"));

    fake.reset();
    // The key's isolate cache forgets an edited key at once in the isolate that saved it; poll for the others.
    await expect
      .poll(async () => ((await chat(sdk, `@${vk}/gpt-4o-mini`, long).catch((e: unknown) => e)) as APIError).status, {
        timeout: 20_000,
      })
      .toBe(446);
    const denied = (await chat(sdk, `@${vk}/gpt-4o-mini`, long).catch((e: unknown) => e)) as APIError;
    expect(denied).toBeInstanceOf(APIError);
    expect(denied.type).toBe("hooks_failed");
    expect(fake.requests.filter((r) => JSON.stringify(r.body).includes("poem"))).toHaveLength(0); // denied before any provider call
    expect((await chat(sdk, `@${vk}/gpt-4o-mini`, "hi there")).choices[0]?.message.content).toBeTruthy();
  });

  it("a prompt and a new version created in the UI render in the playground", async () => {
    const slug = `ui-prompt-${RUN}`;
    await page.goto(url("/dashboard/prompts"));
    await page.getByRole("link", { name: "New prompt" }).click();
    await page.getByLabel("Slug", { exact: true }).fill(slug);
    await page.getByLabel("Name (optional)", { exact: true }).fill("Greeter");
    await page
      .getByLabel(/^Messages JSON/)
      .fill(JSON.stringify([{ role: "user", content: "Say hello to {{name}} in {{language}}." }]));
    await page.getByLabel("Model (optional)", { exact: true }).fill("gpt-4o-mini");
    await page
      .getByLabel(/^Variables JSON/)
      .fill(JSON.stringify([{ name: "name" }, { name: "language", default: "French" }]));
    await page.getByRole("button", { name: "Create prompt" }).click();
    await page.waitForURL(/\/dashboard\/prompts\/[0-9a-f-]{36}$/);

    await page.getByRole("link", { name: "New version" }).click();
    expect(await page.getByLabel("Model (optional)", { exact: true }).inputValue()).toBe("gpt-4o-mini");
    await page
      .getByLabel(/^Messages JSON/)
      .fill(JSON.stringify([{ role: "user", content: "Greet {{name}} warmly in {{language}}." }]));
    await shot("prompt-new-version");
    await page.getByRole("button", { name: "Save version 2" }).click();
    await page.waitForURL(/\/dashboard\/prompts\/[0-9a-f-]{36}$/);
    expect(await page.locator("#prompt-versions").textContent()).toContain("v2");

    await page.getByLabel(/^Version to render/).fill("2");
    await page.getByLabel("Variables (JSON object)").fill(JSON.stringify({ name: "Ada" }));
    await page.getByRole("button", { name: "Render" }).click();
    const rendered = JSON.parse((await page.locator("#rendered-prompt").textContent()) ?? "{}") as {
      model?: string;
      messages?: Array<{ content: string }>;
    };
    expect(rendered.model).toBe("gpt-4o-mini");
    expect(rendered.messages?.[0]?.content).toBe("Greet Ada warmly in French.");
  });

  it("the forms fit a narrow window: no page scrolls sideways", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      const editLink = page.locator("#gateway-keys a", { hasText: "Edit" }).first();
      for (const path of ["/dashboard/guardrails", "/dashboard/prompts/new", "/dashboard/keys"]) {
        await page.goto(url(path));
        const overflow = await page.evaluate<number>(SIDEWAYS);
        expect(overflow, path).toBeLessThanOrEqual(0);
      }
      await editLink.click();
      await page.waitForURL(/\/edit$/);
      expect(await page.evaluate<number>(SIDEWAYS)).toBeLessThanOrEqual(0);
      await shot("key-edit-narrow");
    } finally {
      await page.setViewportSize({ width: 1280, height: 860 });
    }
  });
});
