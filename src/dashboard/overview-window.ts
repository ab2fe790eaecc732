import { html } from "hono/html";
import { analyticsQuerySchema } from "../observability/admin-queries";
import { analytics } from "../observability/analytics";
import { analyticsMetadataKey } from "../observability/settings";
import { parseOrBadRequest } from "../admin/validate";
import { openDb } from "../storage/db";

const DAY_MS = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A custom range from the overview's date inputs (UTC days, `to` inclusive), or null when none was asked for. */
export function customWindow(query: Record<string, string>): { from: number; to: number } | null {
  const from = query.from?.trim() ?? "";
  const to = query.to?.trim() ?? "";
  if (!from && !to) return null;
  const start = DATE.test(from) ? Date.parse(`${from}T00:00:00Z`) : NaN;
  const end = to === "" ? Date.now() : DATE.test(to) ? Date.parse(`${to}T00:00:00Z`) + DAY_MS : NaN;
  return { from: start, to: end };
}

/**
 * The analytics of a custom window, through the admin API's own query schema
 * (so a bad date or a window too long for its interval is the same 400 /admin/analytics gives).
 */
export function customReport(env: Env, custom: { from: number; to: number }) {
  const interval = custom.to - custom.from > 7 * DAY_MS ? "day" : "hour";
  const query = parseOrBadRequest(analyticsQuerySchema, {
    interval,
    from: Number.isNaN(custom.from) ? "invalid" : String(custom.from),
    to: Number.isNaN(custom.to) ? "invalid" : String(custom.to),
  });
  return (groupBy?: string) =>
    analytics(
      openDb(env),
      { ...query, limit: 5, ...(groupBy ? { group_by: groupBy } : {}) },
      analyticsMetadataKey(env),
    );
}

export function customRangeForm(query: Record<string, string>) {
  return html`<form method="get" action="/dashboard" class="toolbar" id="custom-range" aria-label="Custom range">
    <label for="o-from">From (UTC)<input type="date" id="o-from" name="from" value="${query.from ?? ""}" /></label>
    <label for="o-to">To (UTC, inclusive)<input type="date" id="o-to" name="to" value="${query.to ?? ""}" /></label>
    <button type="submit" class="secondary">Show range</button>
  </form>`;
}
