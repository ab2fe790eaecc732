/// <reference types="node" />
/**
 * Every dashboard page in Chromium, signed in, against `wrangler dev`: each input, select and textarea has a label
 * (label[for] or aria-label), each page has one h1, Tab walks the page with a visible focus ring, and a 390 px wide
 * window never scrolls sideways. Also the first load's transferred bytes (the overview after sign-in), from the
 * DevTools protocol's own count of bytes on the wire.
 */
import OpenAI from "openai";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, type TestBrowser } from "./dashboard-browser";
import type { FakeProviders } from "./fake-providers";
import type { GatewayProcess } from "./gateway-process";
import { useFakesAndGateway } from "./servers";

const ADMIN_TOKEN = "e2e-dashboard-a11y-token";
const VAULT_KEY = "ZTJlLW9ubHktdmF1bHQta2V5LTMyLWJ5dGVzLi4uLi4";
const RUN = Date.now().toString(36);
const NARROW = 390;
/** Tab presses per page: enough to leave the navigation and reach the page's own controls. */
const TAB_PRESSES = 14;

let fake: FakeProviders;
let gateway: GatewayProcess;
let chrome: TestBrowser;
let page: Page;
/** Every page the dashboard has, by name, with the ids of the items created for it. */
let pages: Array<[string, string]> = [];

useFakesAndGateway(
  (servers) => {
    ({ fake, gateway } = servers);
  },
  { vars: { ADMIN_TOKEN, VAULT_KEY } },
);

const url = (path: string) => `${gateway.origin}${path}`;

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

/** One request through the fake OpenAI, then its log row's id once the queue has written it. */
async function loggedRequestId(): Promise<string> {
  const sdk = new OpenAI({
    baseURL: `${gateway.origin}/v1`,
    apiKey: "sk-e2e-provider-key",
    maxRetries: 0,
    defaultHeaders: { "x-portkey-provider": "openai", "x-portkey-custom-host": fake.hosts.openai },
  });
  await sdk.chat.completions.create({ model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const logs = await admin<{ data: Array<{ id: string }> }>("GET", "/logs?limit=1");
    if (logs.data[0]) return logs.data[0].id;
    if (Date.now() > deadline) throw new Error("no log row after 30 s");
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function seedEveryPage(): Promise<Array<[string, string]>> {
  const logId = await loggedRequestId();
  const key = await admin<{ id: string }>("POST", "/keys", { name: `a11y-${RUN}` });
  const vk = await admin<{ id: string }>("POST", "/virtual-keys", {
    slug: `a11y-vk-${RUN}`,
    provider: "openai",
    api_key: "sk-e2e-vk",
    custom_host: fake.hosts.openai,
  });
  const config = await admin<{ id: string }>("POST", "/configs", {
    slug: `a11y-config-${RUN}`,
    config: { provider: "openai", api_key: "sk-e2e-config", custom_host: fake.hosts.openai },
  });
  const prompt = await admin<{ id: string }>("POST", "/prompts", {
    slug: `a11y-prompt-${RUN}`,
    model: "gpt-4o-mini",
    messages: [{ role: "user", content: "Say {{thing}}" }],
  });
  const guardrail = await admin<{ id: string }>("POST", "/guardrails", {
    slug: `a11y-guardrail-${RUN}`,
    "default.wordCount": { maxWords: 50 },
    deny: true,
  });
  return [
    ["overview", "/dashboard"],
    ["usage", "/dashboard/usage"],
    ["logs", "/dashboard/logs"],
    ["a log", `/dashboard/logs/${logId}`],
    ["keys", "/dashboard/keys"],
    ["key edit", `/dashboard/keys/${key.id}/edit`],
    ["virtual key new", "/dashboard/keys/virtual/new"],
    ["virtual key edit", `/dashboard/keys/virtual/${vk.id}/edit`],
    ["virtual key rotate", `/dashboard/keys/virtual/${vk.id}/rotate`],
    ["configs", "/dashboard/configs"],
    ["a config", `/dashboard/configs/${config.id}`],
    ["prompts", "/dashboard/prompts"],
    ["prompt new", "/dashboard/prompts/new"],
    ["a prompt", `/dashboard/prompts/${prompt.id}`],
    ["prompt new version", `/dashboard/prompts/${prompt.id}/versions/new`],
    ["compare", `/dashboard/prompts/${prompt.id}/compare`],
    ["guardrails", "/dashboard/guardrails"],
    ["a guardrail", `/dashboard/guardrails/${guardrail.id}`],
    ["sessions", "/dashboard/sessions"],
  ];
}

async function signIn(target: Page): Promise<void> {
  await target.goto(url("/dashboard/sign-in"));
  await target.getByLabel("Admin token or admin API key").fill(ADMIN_TOKEN);
  await target.getByRole("button", { name: "Sign in" }).click();
  await target.waitForURL(url("/dashboard"));
}

beforeAll(async () => {
  pages = await seedEveryPage();
  chrome = await launchChromium();
  page = chrome.context.pages()[0] ?? (await chrome.context.newPage());
  await signIn(page);
}, 120_000);

afterAll(async () => {
  await chrome?.close();
});

// Evaluated in the page (the tests have no DOM types): strings, as in the other dashboard e2e files.
const UNLABELLED = `[...document.querySelectorAll("input, select, textarea")]
  .filter((el) => el.type !== "hidden")
  .filter((el) => !el.getAttribute("aria-label") && !(el.id && document.querySelector('label[for="' + CSS.escape(el.id) + '"]')))
  .map((el) => el.outerHTML.slice(0, 160))`;
const FOCUSED = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const again = el.hasAttribute("data-tab-walk");
  el.setAttribute("data-tab-walk", "");
  return {
    again,
    what: el.tagName + "#" + el.id + "[" + (el.getAttribute("href") || el.getAttribute("name") || el.textContent.trim().slice(0, 30)) + "]",
    visible: el.matches(":focus-visible") && style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
  };
})()`;
const FOCUS_RULE = `[...document.styleSheets].some((sheet) =>
  [...sheet.cssRules].some((rule) => (rule.selectorText || "").includes(":focus-visible")))`;

interface Focused {
  /** Focus came back to an element it had already visited (a trap or a loop). */
  again: boolean;
  what: string;
  visible: boolean;
}

/** Tab from the top of the page: every press lands on a new element, and each shows its focus ring. */
async function tabWalk(target: Page): Promise<Focused[]> {
  const seen: Focused[] = [];
  for (let i = 0; i < TAB_PRESSES; i++) {
    await target.keyboard.press("Tab");
    const focused = await target.evaluate<Focused | null>(FOCUSED);
    if (!focused) break; // the walk went past the last control (back to the document)
    seen.push(focused);
  }
  return seen;
}

describe("dashboard accessibility in Chromium", () => {
  it("every page: labelled fields, one h1, a Tab walk with visible focus", async () => {
    for (const [name, path] of pages) {
      const response = await page.goto(url(path));
      expect(response?.status(), name).toBe(200);
      expect(await page.evaluate<string[]>(UNLABELLED), name).toEqual([]);
      expect(await page.locator("h1").count(), name).toBe(1);
      expect(await page.evaluate<boolean>(FOCUS_RULE), name).toBe(true);
      const walk = await tabWalk(page);
      expect(walk.length, name).toBeGreaterThanOrEqual(Math.min(TAB_PRESSES, 8));
      expect(walk[0]?.what, name).toBe("A#[#main]"); // the skip link comes first
      expect(
        walk.filter((f) => f.again).map((f) => f.what),
        `${name}: ${walk.map((f) => f.what).join(" ")}`,
      ).toEqual([]);
      expect(
        walk.filter((f) => !f.visible).map((f) => f.what),
        name,
      ).toEqual([]);
    }
  });

  it(`every page fits a ${NARROW} px window without sideways scrolling`, async () => {
    await page.setViewportSize({ width: NARROW, height: 844 });
    const wide: string[] = [];
    for (const [name, path] of pages) {
      await page.goto(url(path));
      const width = await page.evaluate<number>("document.scrollingElement.scrollWidth");
      if (width > NARROW) wide.push(`${name} (${path}): ${width} px`);
    }
    await page.setViewportSize({ width: 1280, height: 860 });
    expect(wide).toEqual([]);
  });

  it("the first load of the overview after sign-in transfers under 150 KB", async () => {
    const fresh = await launchChromium();
    try {
      const loaded = await firstLoad(fresh.context);
      const listed = loaded.map((r) => `${r.path}: ${r.transferred} B on the wire, ${r.body} B decoded`).join("\n");
      // Each part the issue names must be in the count, with bytes on the wire (not served from a cache).
      for (const part of [/^\/dashboard$/, /dashboard\.css$/, /app\.js$/, /uplot\.js$/, /uplot\.css$/]) {
        expect(
          loaded.some((r) => part.test(r.path) && r.transferred > 0),
          `${String(part)} in\n${listed}`,
        ).toBe(true);
      }
      const transferred = loaded.reduce((sum, r) => sum + r.transferred, 0);
      const decoded = loaded.reduce((sum, r) => sum + r.body, 0);
      console.log(`dashboard first load: ${transferred} B transferred (${decoded} B decoded)\n${listed}`);
      expect(transferred).toBeLessThan(150_000);
    } finally {
      await fresh.close();
    }
  });
});

interface Loaded {
  path: string;
  /** Bytes on the wire, headers included (DevTools' "transferred"). */
  transferred: number;
  /** The body once decoded (what it would be without compression). */
  body: number;
}

/**
 * Every response of the overview loaded with an empty cache (document, stylesheets, scripts, uPlot), from the
 * DevTools protocol's network events. Sign-in happens first, then the cache is dropped and disabled.
 */
async function firstLoad(context: BrowserContext): Promise<Loaded[]> {
  const target = context.pages()[0] ?? (await context.newPage());
  await signIn(target);
  const cdp = await context.newCDPSession(target);
  await cdp.send("Network.enable");
  await cdp.send("Network.clearBrowserCache");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  const loaded = new Map<string, Loaded>();
  cdp.on("Network.requestWillBeSent", (event) =>
    loaded.set(event.requestId, { path: new URL(event.request.url).pathname, transferred: 0, body: 0 }),
  );
  cdp.on("Network.dataReceived", (event) => {
    const entry = loaded.get(event.requestId);
    if (entry) entry.body += event.dataLength;
  });
  cdp.on("Network.loadingFinished", (event) => {
    const entry = loaded.get(event.requestId);
    if (entry) entry.transferred = event.encodedDataLength;
  });
  await target.goto(url("/dashboard"), { waitUntil: "load" });
  await target.waitForLoadState("networkidle");
  return [...loaded.values()];
}
