import { html } from "hono/html";
import { shell } from "./shell";

/** The one form that takes the token: posted (never in a URL), with a password field the browser won't echo. */
export function signInPage(csrf: string, error?: string) {
  const problem = error ? html`<p class="error-box" role="alert" id="sign-in-error">${error}</p>` : "";
  return shell(
    "Sign in",
    html`<main class="narrow">
      <h1>AI gateway dashboard</h1>
      ${problem}
      <form method="post" action="/dashboard/sign-in" class="stack" autocomplete="off">
        <input type="hidden" name="_csrf" value="${csrf}" />
        <label for="token"
          >Admin token or admin API key
          <input
            id="token"
            name="token"
            type="password"
            required
            autofocus
            ${error ? html`aria-describedby="sign-in-error"` : ""}
          />
        </label>
        <button type="submit">Sign in</button>
      </form>
      <p class="muted">
        ADMIN_TOKEN (npm start uses <code>dev-admin-token</code>) signs in with full rights; an admin API key with the
        <code>read</code> scope gives a read-only session.
      </p>
    </main>`,
  );
}
