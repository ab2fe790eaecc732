import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { app } from "../../src/app";
import { ADMIN_TOKEN } from "./admin-helpers";

/** Dashboard requests straight into the app, as a browser would send them (cookies, forms, Origin). */
export const ORIGIN = "https://gateway.test";

export interface DashCall {
  method?: string;
  cookie?: string;
  form?: Record<string, string>;
  origin?: string;
  adminToken?: string;
}

export async function dash(path: string, call: DashCall = {}): Promise<Response> {
  const headers: Record<string, string> = {};
  if (call.cookie) headers.cookie = call.cookie;
  if (call.origin) headers.origin = call.origin;
  const init: RequestInit = { method: call.method ?? (call.form ? "POST" : "GET"), headers, redirect: "manual" };
  if (call.form) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    init.body = new URLSearchParams(call.form).toString();
  }
  const ctx = createExecutionContext();
  const res = await app.fetch(
    new Request(`${ORIGIN}${path}`, init),
    { ...env, ADMIN_TOKEN: call.adminToken ?? ADMIN_TOKEN },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

/** name=value of each Set-Cookie (attributes dropped), joined for a Cookie header. */
export function cookiesOf(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((line) => line.split(";")[0] ?? "")
    .join("; ");
}

export const setCookieLine = (res: Response, name: string): string | undefined =>
  res.headers.getSetCookie().find((line) => line.startsWith(`${name}=`));

/** The hidden _csrf value of the first form in a page. */
export function csrfIn(html: string): string {
  const match = html.match(/name="_csrf" value="([^"]+)"/);
  if (!match?.[1]) throw new Error("no _csrf field in the page");
  return match[1];
}

/** Sign in with a token: the session cookie (name=value). */
export async function signIn(token: string = ADMIN_TOKEN): Promise<string> {
  const form = await dash("/dashboard/sign-in");
  const res = await dash("/dashboard/sign-in", {
    cookie: cookiesOf(form),
    form: { _csrf: csrfIn(await form.text()), token },
  });
  if (res.status !== 303) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const line = setCookieLine(res, "gw_dash");
  if (!line) throw new Error("no session cookie");
  return line.split(";")[0] ?? "";
}
