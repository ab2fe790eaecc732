import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { adminCall } from "./admin-helpers";
import { mintAdminKey } from "./admin-key-helpers";
import { signIn } from "./dashboard-helpers";

/** Shared by the dashboard management form tests (prompts, guardrails, key fields, virtual key edit). */

export interface AuditRow {
  actor: string;
  action: string;
  resource_type: string;
  details: string;
}

export const lastAudit = (resourceId: string) =>
  env.DB.prepare(
    "select actor, action, resource_type, details from audit_log where resource_id = ? order by rowid desc",
  )
    .bind(resourceId)
    .first<AuditRow>();

export const auditCount = async (resourceId: string) =>
  (
    await env.DB.prepare("select count(*) as n from audit_log where resource_id = ?")
      .bind(resourceId)
      .first<{ n: number }>()
  )?.n ?? -1;

/** A session of an admin API key with only the `read` scope. */
export async function readOnlyCookie(): Promise<string> {
  return signIn((await mintAdminKey(["read"])).key);
}

/** The admin API's error for the same body, to compare the dashboard's field error with. */
export async function apiErrorOf(
  call: Parameters<typeof adminCall>[0],
): Promise<{ status: number; message: string; param: string }> {
  const res = await adminCall(call);
  const body = (await res.json()) as { error: { message: string; param: string } };
  return { status: res.status, ...body.error };
}

/** Text as hono/html escapes it into a page. */
export const escaped = (text: string) =>
  text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");

/** The page shows `message` as the error of field `id` (e.g. g-guardrail), tied to the input by aria-describedby. */
export function expectFieldError(page: string, id: string, message: string) {
  expect(page).toContain(`aria-invalid="true" aria-describedby="${id}-error"`);
  expect(page).toContain(`id="${id}-error" role="alert">${escaped(message)}`);
}
