import { html } from "hono/html";
import { shell } from "./shell";

/** A bare page with a heading and one sentence: refusals, disabled dashboard. */
export const messagePage = (title: string, text: string) =>
  shell(
    title,
    html`<main class="narrow">
      <h1>${title}</h1>
      <p>${text}</p>
      <p><a href="/dashboard">Back to the dashboard</a></p>
    </main>`,
  );
