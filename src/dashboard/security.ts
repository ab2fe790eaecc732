import { createMiddleware } from "hono/factory";
import type { DashboardEnv } from "./context";

/**
 * Every dashboard response: scripts and styles only from our own origin (no inline code, so an injected tag does
 * nothing), no framing, no referrer, never cached (pages show live data and a CSRF token).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

export function securityHeaders() {
  return createMiddleware<DashboardEnv>(async (c, next) => {
    await next();
    const headers = c.res.headers;
    headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    headers.set("X-Frame-Options", "DENY");
    headers.set("X-Content-Type-Options", "nosniff");
    // same-origin, not no-referrer: with no-referrer Chromium sends `Origin: null` on our own form posts, which
    // the same-origin check (guard.ts) must refuse. Other sites still get no referrer (no ids in URLs leak).
    headers.set("Referrer-Policy", "same-origin");
    headers.set("Cross-Origin-Opener-Policy", "same-origin");
    if (!headers.has("Cache-Control")) headers.set("Cache-Control", "no-store");
  });
}
