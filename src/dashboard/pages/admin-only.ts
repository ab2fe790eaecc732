import { html } from "hono/html";
import type { DashboardSession } from "../session";
import type { Html } from "./shell";

/**
 * What a read-only session sees where an admin sees a form: the page stays readable (the item, its values), only
 * the form is left out, and the note says why. The post behind the form stays 403 (requireAdminRole()).
 */
export const readOnlyNote = () =>
  html`<p class="muted read-only-note" id="read-only-note">
    This session is read-only: sign in with ADMIN_TOKEN or an admin API key with the admin scope to make changes.
  </p>`;

export function adminOnly(session: DashboardSession, form: Html): Html {
  return session.role === "admin" ? form : readOnlyNote();
}
