import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import { assetUrl } from "../assets";

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** The document around every page: our stylesheet and script only (the CSP allows nothing inline). */
export function shell(title: string, body: Html, options: { charts?: boolean } = {}) {
  const charts = options.charts
    ? html`<link rel="stylesheet" href="${assetUrl("uplot.css")}" />
        <script src="${assetUrl("uplot.js")}" defer></script>`
    : "";
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · AI gateway</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href="${assetUrl("dashboard.css")}" />
        ${charts}
        <script src="${assetUrl("app.js")}" defer></script>
      </head>
      <body>
        ${body}
      </body>
    </html>`;
}
