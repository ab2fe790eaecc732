import { html } from "hono/html";
import type { DashboardSession } from "../session";
import { shell, type Html } from "./shell";

const NAV = [
  ["overview", "/dashboard", "Overview"],
  ["usage", "/dashboard/usage", "Usage and cost"],
  ["logs", "/dashboard/logs", "Logs"],
  ["keys", "/dashboard/keys", "Keys"],
  ["configs", "/dashboard/configs", "Configs"],
  ["prompts", "/dashboard/prompts", "Prompts"],
  ["guardrails", "/dashboard/guardrails", "Guardrails"],
  ["sessions", "/dashboard/sessions", "Sessions"],
] as const;

export type Section = (typeof NAV)[number][0];

export interface PageFrame {
  title: string;
  section: Section;
  session: DashboardSession;
  csrf: string;
  charts?: boolean;
}

/** Navigation, who is signed in, sign-out (a CSRF-checked POST), then the page. */
export function page(frame: PageFrame, body: Html) {
  const links = NAV.map(
    ([id, href, label]) =>
      html`<a href="${href}" ${id === frame.section ? html`aria-current="page"` : ""}>${label}</a>`,
  );
  const role = frame.session.role === "read" ? html`<span class="badge">read-only</span>` : "";
  return shell(
    frame.title,
    // The skip link is the first Tab stop: keyboard users reach the page without walking the navigation.
    html`<a class="skip" href="#main">Skip to content</a>
      <header class="top">
        <a class="brand" href="/dashboard">AI gateway</a>
        <nav aria-label="Dashboard">${links}</nav>
        <form method="post" action="/dashboard/sign-out" class="signout">
          ${role}<input type="hidden" name="_csrf" value="${frame.csrf}" /><button type="submit">Sign out</button>
        </form>
      </header>
      <main id="main" tabindex="-1">
        <h1>${frame.title}</h1>
        ${body}
      </main>`,
    { charts: frame.charts },
  );
}
