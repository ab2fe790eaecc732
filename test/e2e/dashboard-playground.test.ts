/// <reference types="node" />
/**
 * The prompt playground's side-by-side run and the Sessions page in Chromium against `wrangler dev`: two versions
 * of a prompt run through a virtual key whose provider (a fake OpenAI on 127.0.0.1) answers each version with its
 * own text; a session revoked from another browser is sent back to sign-in.
 */
import { mkdirSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, type TestBrowser } from "./dashboard-browser";
import { awkwardCuts } from "./fake-providers";
import { REPO_ROOT, type GatewayProcess } from "./gateway-process";
import { useFakesAndGateway } from "./servers";

const ADMIN_TOKEN = "e2e-playground-admin-token";
const VAULT_KEY = "ZTJlLW9ubHktdmF1bHQta2V5LTMyLWJ5dGVzLi4uLi4";
const SHOTS = join(REPO_ROOT, "docs", "dashboard");
const RUN = Date.now().toString(36);

let gateway: GatewayProcess;
useFakesAndGateway((servers) => (gateway = servers.gateway), { vars: { ADMIN_TOKEN, VAULT_KEY } });

/**
 * OpenAI's chat completions, answering each prompt version differently: the reply quotes the first message, and
 * usage grows with it. The JSON is written in pieces cut at awkward byte offsets (inside multi-byte characters).
 * Plain text without emoji: the container has no emoji font, and the screenshot would show empty boxes.
 */
function answerPerVersion(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
      model: string;
      messages: { content: string }[];
    };
    const asked = body.messages[0]?.content ?? "";
    const text = asked.startsWith("Shout")
      ? `ÉNORME ${asked.slice(6).toUpperCase()} !`
      : `petit ${asked.slice(4)}, doucement`;
    const json = JSON.stringify({
      id: `chatcmpl-${RUN}`,
      object: "chat.completion",
      created: 1_700_000_000,
      model: body.model,
      choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }],
      usage: { prompt_tokens: asked.length, completion_tokens: text.length, total_tokens: asked.length + text.length },
    });
    const bytes = Buffer.from(json, "utf8");
    res.writeHead(200, { "content-type": "application/json", "content-length": String(bytes.length) });
    let at = 0;
    for (const cut of [...awkwardCuts(bytes), bytes.length]) {
      res.write(bytes.subarray(at, cut));
      at = cut;
    }
    res.end();
  });
}

let provider: Server;
let providerBase: string;
let chrome: TestBrowser;
let other: TestBrowser;
let page: Page;

beforeAll(async () => {
  provider = createServer(answerPerVersion);
  await new Promise<void>((resolve) => provider.listen(0, "127.0.0.1", resolve));
  providerBase = `http://127.0.0.1:${(provider.address() as AddressInfo).port}/v1`;
  chrome = await launchChromium();
  page = chrome.context.pages()[0] ?? (await chrome.context.newPage());
  mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await chrome?.close();
  await other?.close();
  await new Promise((resolve) => provider?.close(resolve));
});

const url = (path: string) => `${gateway.origin}${path}`;
const shot = (target: Page, name: string) =>
  target.screenshot(
    process.env.DASHBOARD_SCREENSHOTS ? { path: join(SHOTS, `${name}.png`), fullPage: true } : { fullPage: true },
  );

async function admin<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(url(`/admin${path}`), {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  expect(res.ok, text).toBe(true);
  return JSON.parse(text) as T;
}

async function signIn(target: Page): Promise<void> {
  await target.goto(url("/dashboard/sign-in"));
  await target.getByLabel("Admin token or admin API key").fill(ADMIN_TOKEN);
  await target.getByRole("button", { name: "Sign in" }).click();
  await target.waitForURL(url("/dashboard"));
}

describe("dashboard playground and sessions in Chromium", () => {
  it("runs two versions side by side and shows each answer with its tokens, cost and log link", async () => {
    const slug = `compare-${RUN}`;
    const vk = `vk-compare-${RUN}`;
    await admin("POST", "/virtual-keys", {
      slug: vk,
      provider: "openai",
      api_key: "sk-e2e-vk",
      custom_host: providerBase,
    });
    const prompt = await admin<{ id: string }>("POST", "/prompts", {
      slug,
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "Say {{thing}}" }],
    });
    await admin("PUT", `/prompts/${slug}`, {
      model: "gpt-4o",
      messages: [{ role: "user", content: "Shout {{thing}}" }],
    });

    await signIn(page);
    await page.goto(url(`/dashboard/prompts/${prompt.id}`));
    await page.getByRole("link", { name: /Run two versions side by side/ }).click();
    await page.getByLabel("Version A").fill("1");
    await page.getByLabel("Version B").fill("2");
    await page.getByLabel("Virtual key that pays for both runs").selectOption(vk);
    await page.getByLabel("Variables (JSON object)").fill('{"thing":"bonjour"}');
    await page.getByRole("button", { name: "Run both" }).click();
    await page.locator("#compare-results").waitFor();

    const a = page.getByRole("region", { name: "Version A" });
    const b = page.getByRole("region", { name: "Version B" });
    expect(await a.locator("[data-answer]").textContent()).toBe("petit bonjour, doucement");
    expect(await b.locator("[data-answer]").textContent()).toBe("ÉNORME BONJOUR !");
    expect(await a.locator("[data-prompt-tokens]").textContent()).toBe(String("Say bonjour".length));
    expect(await b.locator("[data-completion-tokens]").textContent()).toBe(String("ÉNORME BONJOUR !".length));
    for (const run of [a, b]) {
      expect(Number(await run.locator("[data-cost]").getAttribute("data-cost"))).toBeGreaterThan(0);
      expect(await run.locator("[data-cost]").textContent()).toMatch(/^\$/);
      expect(await run.locator("[data-latency]").textContent()).toMatch(/ms$/);
    }
    await shot(page, "playground-compare");

    // Each run's log page: the row arrives through the queue a few seconds later, marked as a playground run.
    const logHref = (await b.locator("[data-log-link]").getAttribute("href")) ?? "";
    await expect
      .poll(
        async () => {
          await page.goto(url(logHref));
          return page.content();
        },
        { timeout: 40_000, interval: 1_000 },
      )
      .toContain("dashboard-playground");
  });

  it("a session revoked from another browser is sent to sign-in at its next page", async () => {
    other = await launchChromium();
    const victim = other.context.pages()[0] ?? (await other.context.newPage());
    await signIn(victim);
    await signIn(page);
    await page.goto(url("/dashboard/sessions"));
    const rows = page.locator("#sessions tbody tr");
    expect(await rows.count()).toBeGreaterThanOrEqual(2);
    await shot(page, "sessions");
    // Revoke the newest session that is not this one (the victim signed in just before).
    const target = rows.filter({ hasNot: page.getByText("this session") }).first();
    page.once("dialog", (dialog) => void dialog.accept());
    await target.getByRole("button", { name: "Revoke" }).click();
    await page.waitForURL(url("/dashboard/sessions"));

    await victim.goto(url("/dashboard/logs"));
    expect(new URL(victim.url()).pathname).toBe("/dashboard/sign-in");
    await page.goto(url("/dashboard/logs"));
    expect(new URL(page.url()).pathname).toBe("/dashboard/logs"); // the revoking session goes on
  });
});
