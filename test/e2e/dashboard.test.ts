/// <reference types="node" />
/**
 * The dashboard in a real browser (Debian's Chromium through playwright-core) against `wrangler dev` and the fake
 * providers: sign-in and its cookie, totals after real SDK traffic, the log explorer's fallback trail, key
 * management used by the openai SDK, CSRF refusals, and screenshots for docs/dashboard/.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import OpenAI, { PermissionDeniedError } from "openai";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ASSETS } from "../../src/dashboard/assets.generated";
import { usd } from "../../src/dashboard/format";
import { launchChromium, type TestBrowser } from "./dashboard-browser";
import { startFakeProviders, type FakeProviders } from "./fake-providers";
import { REPO_ROOT, startGateway, type GatewayProcess } from "./gateway-process";

const ADMIN_TOKEN = "e2e-dashboard-admin-token";
const SHOTS = join(REPO_ROOT, "docs", "dashboard");
const N = 3;
const RUN = Date.now().toString(36);
const USER = `dash-user-${RUN}`;
const FALLBACK_USER = `dash-fallback-${RUN}`;

let fake: FakeProviders;
let gateway: GatewayProcess;
let chrome: TestBrowser;
let page: Page;
const consoleErrors: string[] = [];

beforeAll(async () => {
  fake = await startFakeProviders();
  gateway = await startGateway({ vars: { ADMIN_TOKEN, VAULT_KEY: "ZTJlLW9ubHktdmF1bHQta2V5LTMyLWJ5dGVzLi4uLi4" } });
  chrome = await launchChromium();
  page = chrome.context.pages()[0] ?? (await chrome.context.newPage());
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => consoleErrors.push(error.message));
  mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await chrome?.close();
  await gateway?.stop();
  await fake?.close();
});

const url = (path: string) => `${gateway.origin}${path}`;
// The docs' screenshots are rewritten only on request (`DASHBOARD_SCREENSHOTS=1 npm run test:e2e`), so a test run
// leaves the tree as it was; otherwise the page is still rendered to an image, which checks that it paints.
const shot = (name: string) =>
  page.screenshot(
    process.env.DASHBOARD_SCREENSHOTS ? { path: join(SHOTS, `${name}.png`), fullPage: true } : { fullPage: true },
  );

/** Passthrough traffic: the fake OpenAI behind x-portkey-custom-host, the user in x-portkey-metadata. */
function passthrough(user: string, extra: Record<string, string> = {}) {
  return new OpenAI({
    baseURL: `${gateway.origin}/v1`,
    apiKey: "sk-e2e-provider-key",
    maxRetries: 0,
    defaultHeaders: {
      "x-portkey-provider": "openai",
      "x-portkey-custom-host": fake.hosts.openai,
      "x-portkey-metadata": JSON.stringify({ _user: user }),
      ...extra,
    },
  });
}

async function adminJson<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const res = await fetch(url(`/admin${path}`), {
    method: init.method ?? "GET",
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  expect(res.ok, text).toBe(true);
  return JSON.parse(text) as T;
}

/** Reload `path` until `check` passes (logs reach D1 through the queue a few seconds after each request). */
async function eventually(path: string, check: () => Promise<boolean>, timeoutMs = 40_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await page.goto(url(path));
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`${path}: condition not met after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

describe("dashboard in Chromium", () => {
  it("no page is reachable signed out: each redirects to sign-in", async () => {
    for (const path of [
      "/dashboard",
      "/dashboard/usage",
      "/dashboard/logs",
      "/dashboard/keys",
      "/dashboard/configs",
      "/dashboard/logs/anything",
    ]) {
      const response = await page.goto(url(path));
      expect(new URL(page.url()).pathname, path).toBe("/dashboard/sign-in");
      expect(response?.status(), path).toBe(200);
    }
    await shot("sign-in");
  });

  it("signs in with the admin token into an HttpOnly, Secure, SameSite=Strict session cookie scoped to /dashboard", async () => {
    await page.goto(url("/dashboard/sign-in"));
    await page.getByLabel("Admin token or admin API key").fill(ADMIN_TOKEN);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(url("/dashboard"));
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Overview");
    const cookies = await chrome.context.cookies(gateway.origin + "/dashboard");
    const session = cookies.find((c) => c.name === "gw_dash");
    expect(session).toMatchObject({ httpOnly: true, secure: true, sameSite: "Strict", path: "/dashboard" });
    expect(session?.expires).toBeGreaterThan(Date.now() / 1000);
    expect(session?.value).not.toContain(ADMIN_TOKEN);
    expect(await page.content()).not.toContain(ADMIN_TOKEN);
    expect(page.url()).not.toContain(ADMIN_TOKEN);
    expect(await page.evaluate<string>("JSON.stringify(localStorage) + document.cookie")).not.toContain(ADMIN_TOKEN);
  });

  it("after N SDK requests and one fallback the overview shows exactly their count and cost", async () => {
    for (let i = 0; i < N; i++)
      await passthrough(USER).chat.completions.create({
        model: "gpt-4o-mini",
        messages: [{ role: "user", content: `hi ${i}` }],
      });
    const config = {
      strategy: { mode: "fallback" },
      targets: [
        {
          provider: "openai",
          api_key: "sk-e2e-a",
          custom_host: fake.hosts.openai,
          override_params: { model: "fail-500" },
        },
        { provider: "openai", api_key: "sk-e2e-b", custom_host: fake.hosts.openai },
      ],
    };
    await passthrough(FALLBACK_USER, { "x-portkey-config": JSON.stringify(config) }).chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "fall back" }],
    });
    const total = N + 1;
    const requests = () => page.locator('[data-stat="requests"] .value').textContent();
    await eventually("/dashboard?range=1h", async () => (await requests()) === String(total));

    const logs = await adminJson<{ data: Array<{ cost: { usd: number } }> }>("/logs?limit=100");
    expect(logs.data).toHaveLength(total);
    const cost = logs.data.reduce((sum, log) => sum + log.cost.usd, 0);
    expect(cost).toBeGreaterThan(0);
    expect(await page.locator('[data-stat="cost"] .value').textContent()).toBe(usd(Math.round(cost * 1e10) / 1e10));
    expect(await page.locator('[data-stat="error-rate"] .value').textContent()).toBe("0.0%");
    await expect.poll(() => page.locator(".chart-box canvas").count()).toBeGreaterThanOrEqual(3); // uPlot drew under the CSP
    expect(await page.locator(".tops table").first().textContent()).toContain("gpt-4o-mini");
    await shot("overview");
  });

  it("the first page load stays under 150 KB", async () => {
    let bytes = 0;
    const count = (response: {
      status(): number;
      body(): Promise<Buffer>;
      headersArray(): Promise<Array<{ name: string; value: string }>>;
    }) =>
      Promise.all([
        response.status() >= 300 && response.status() < 400 ? Buffer.alloc(0) : response.body(),
        response.headersArray(),
      ]).then(([body, headers]) => {
        bytes += body.byteLength + headers.reduce((n, h) => n + h.name.length + h.value.length + 4, 0);
      });
    const pending: Array<Promise<void>> = [];
    const listener = (response: Parameters<typeof count>[0]) => void pending.push(count(response));
    const fresh = await chrome.context.newPage();
    fresh.on("response", listener);
    await fresh.goto(url("/dashboard?range=1h"), { waitUntil: "load" });
    await Promise.all(pending);
    await fresh.close();
    console.log(`dashboard first load: ${bytes} bytes (uncompressed; uPlot ${ASSETS["uplot.js"].body.length} of them)`);
    expect(bytes).toBeLessThan(150_000);
  });

  it("usage by user, sortable, with a CSV export of what is shown", async () => {
    await page.goto(url("/dashboard/usage?by=user&range=1h"));
    const rows = page.locator("#usage tbody tr");
    expect(await rows.count()).toBe(2);
    expect(await page.locator("#usage").textContent()).toContain(USER);
    await page.locator("#usage thead th").nth(1).getByRole("button").click();
    expect(await page.locator("#usage thead th").nth(1).getAttribute("aria-sort")).toBe("ascending");
    expect(await rows.first().locator("td").first().textContent()).toBe(FALLBACK_USER); // 1 request before 3
    const csv = await page.request.get(url("/dashboard/usage?by=user&range=1h&format=csv"));
    expect(csv.headers()["content-type"]).toContain("text/csv");
    const lines = (await csv.text()).trim().split("\r\n");
    expect(lines[0]).toMatch(/^value,requests,errors,/);
    expect(lines.some((line) => line.startsWith(`${USER},${N},0,`))).toBe(true);
    await shot("usage");
  });

  it("filters logs by user and opens the request whose trail shows the fallback", async () => {
    await page.goto(url("/dashboard/logs"));
    expect(await page.locator("#logs tbody tr").count()).toBe(N + 1);
    await shot("logs");
    await page.getByLabel("user").fill(FALLBACK_USER);
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/user=/);
    expect(await page.locator("#logs tbody tr").count()).toBe(1);
    await page.locator("#logs tbody tr a").first().click();
    await page.waitForURL(/\/dashboard\/logs\/[^/?]+$/);
    const trail = page.locator("#waterfall .wf-row");
    expect(await trail.count()).toBe(2);
    expect(await trail.nth(0).getAttribute("data-attempt")).toBe("failed");
    expect(await trail.nth(0).textContent()).toContain("config.targets[0]");
    expect(await trail.nth(0).textContent()).toContain("500");
    expect(await trail.nth(1).getAttribute("data-attempt")).toBe("ok");
    expect(await trail.nth(1).textContent()).toContain("config.targets[1]");
    expect(
      await page
        .locator(".wf-bar.failed")
        .evaluate((bar) => (bar as unknown as { style: { width: string } }).style.width),
    ).toMatch(/%$/); // placed by app.js
    await shot("log-detail");
  });

  it("creates a gateway key in the UI, the SDK uses it, and after Disable the SDK gets 403", async () => {
    const slug = `dash-vk-${RUN}`;
    await adminJson("/virtual-keys", {
      method: "POST",
      body: { slug, provider: "openai", api_key: "sk-e2e-vault", custom_host: fake.hosts.openai },
    });
    await page.goto(url("/dashboard/keys"));
    const name = `dashboard-key-${RUN}`;
    await page.getByLabel("Name").fill(name);
    await page.getByLabel("Budget (USD)").fill("5");
    await page.getByRole("button", { name: "Create key" }).click();
    const secret = (await page.locator("#new-secret").textContent()) ?? "";
    expect(secret).toMatch(/^pk-gw-/);
    await shot("keys");

    const sdk = new OpenAI({ baseURL: `${gateway.origin}/v1`, apiKey: secret, maxRetries: 0 });
    const answer = await sdk.chat.completions.create({
      model: `@${slug}/gpt-4o-mini`,
      messages: [{ role: "user", content: "hi" }],
    });
    expect(answer.choices[0]?.message.content).toBeTruthy();

    await page.goto(url("/dashboard/keys"));
    expect(await page.locator("#new-secret").count()).toBe(0); // shown once
    const row = page.locator("#gateway-keys tbody tr", { hasText: name });
    await row.getByRole("button", { name: "Disable" }).click();
    await page.waitForURL(url("/dashboard/keys"));
    expect(await page.locator("#gateway-keys tbody tr", { hasText: name }).locator("[data-status]").textContent()).toBe(
      "disabled",
    );
    await expect
      .poll(
        async () =>
          (await sdk.chat.completions
            .create({ model: `@${slug}/gpt-4o-mini`, messages: [{ role: "user", content: "hi" }] })
            .catch((e: unknown) => e)) instanceof PermissionDeniedError,
        { timeout: 15_000 },
      )
      .toBe(true);
  });

  it("a form posted without its CSRF token is refused, even with the session cookie", async () => {
    const name = `no-csrf-${RUN}`;
    const res = await page.request.post(url("/dashboard/keys"), { form: { name }, maxRedirects: 0 });
    expect(res.status()).toBe(403);
    const keys = await adminJson<{ data: Array<{ name: string }> }>("/keys?limit=100");
    expect(keys.data.map((k) => k.name)).not.toContain(name);
  });

  it("creates a config with an error, sees it at the field, fixes it, then saves a new version", async () => {
    const slug = `ui-config-${RUN}`;
    await page.goto(url("/dashboard/configs"));
    await page.getByLabel("Slug").fill(slug);
    const broken = { strategy: { mode: "fallback" }, targets: [{ provider: "openai" }, { provider: "nope" }] };
    await page.getByLabel(/^Config JSON/).fill(JSON.stringify(broken));
    await page.getByRole("button", { name: "Create config" }).click();
    const error = page.locator("#c-config-error");
    await expect.poll(() => error.textContent()).toContain("unknown provider");
    expect(await error.locator("[data-error-path]").textContent()).toBe("config.targets[1].provider");
    expect(await page.getByLabel(/^Config JSON/).getAttribute("aria-invalid")).toBe("true");
    await shot("config-error");
    // The refused form's page is a 400 on purpose (the admin API's status): Chromium logs that one as an error.
    const refusedForm = consoleErrors.findIndex((m) => m.includes("status of 400"));
    if (refusedForm >= 0) consoleErrors.splice(refusedForm, 1);
    const fixed = { ...broken, targets: [{ provider: "openai" }, { provider: "anthropic" }] };
    await page.getByLabel(/^Config JSON/).fill(JSON.stringify(fixed));
    await page.getByRole("button", { name: "Create config" }).click();
    await page.waitForURL(/\/dashboard\/configs\/[0-9a-f-]{36}$/);
    await page.getByLabel(/^Config JSON/).fill(JSON.stringify({ provider: "openai", retry: { attempts: 2 } }));
    await page.getByRole("button", { name: "Save version 2" }).click();
    await page.waitForURL(/\/dashboard\/configs\/[0-9a-f-]{36}$/);
    expect(await page.locator("h2", { hasText: "Version 2 (latest)" }).count()).toBe(1);
    expect(await page.locator("#config-versions li").count()).toBe(2);
    const saved = await adminJson<{ version: number; config: unknown }>(`/configs/${slug}`);
    expect(saved).toMatchObject({ version: 2, config: { provider: "openai", retry: { attempts: 2 } } });
    await shot("config-detail");
    await page.goto(url("/dashboard/configs"));
    await shot("configs");
  });

  it("moves a prompt label to a weighted split", async () => {
    const slug = `ui-prompt-${RUN}`;
    const messages = [{ role: "user", content: "Say {{word}}" }];
    const created = await adminJson<{ id: string }>("/prompts", { method: "POST", body: { slug, messages } });
    await adminJson(`/prompts/${slug}`, {
      method: "PUT",
      body: { messages: [{ role: "user", content: "Shout {{word}}" }] },
    });
    await page.goto(url(`/dashboard/prompts/${created.id}`));
    await page.getByLabel("Label").fill("production");
    await page.getByLabel(/^Version, or a weighted split/).fill("1:80, 2:20");
    await page.getByRole("button", { name: "Set label" }).click();
    await page.waitForURL(url(`/dashboard/prompts/${created.id}`));
    expect(await page.locator('[data-label="production"] [data-points]').textContent()).toBe("v1 × 80, v2 × 20");
    await shot("prompt");
  });

  it("no console or CSP errors on any page", () => {
    expect(consoleErrors).toEqual([]);
  });

  it("signs out: the dashboard is closed again", async () => {
    await page.goto(url("/dashboard"));
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(url("/dashboard/sign-in"));
    await page.goto(url("/dashboard/keys"));
    expect(new URL(page.url()).pathname).toBe("/dashboard/sign-in");
  });
});
