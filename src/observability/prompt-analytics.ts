import { and, eq, gte, lt, sql } from "drizzle-orm";
import { logRollups } from "../../schema/db";
import type { Db } from "../storage/db";
import type { Window } from "./analytics";
import { addCounters, countersOf, presentCounters, summedCounters, ZERO, type Counters } from "./counters";

/**
 * Per-version analytics of one prompt: log_rollups' `prompt_version` dimension, whose values are
 * `<prompt id>@<version>` (rollup-sql.ts). Hourly and exact like every other dimension; one prompt's rows are a
 * prefix range of the primary key (dimension, value, hour), so the query reads only them.
 */

const DAY_MS = 86_400_000;

const bucketOf = (interval: Window["interval"]) =>
  interval === "hour"
    ? sql<number>`${logRollups.hour}`
    : sql<number>`(${logRollups.hour} - (${logRollups.hour} % ${sql.raw(String(DAY_MS))}))`;

const point = (bucket: number, counters: Counters) => ({
  start: new Date(bucket).toISOString(),
  ...presentCounters(counters),
});

/** `%` and `_` are LIKE wildcards; prompt ids are UUIDs (no wildcard), escaped anyway so the prefix stays literal. */
const likePrefix = (prefix: string): string => `${prefix.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

export async function promptVersionAnalytics(db: Db, prompt: { id: string; slug: string }, window: Window) {
  const where = and(
    eq(logRollups.dimension, "prompt_version"),
    sql`${logRollups.value} LIKE ${likePrefix(`${prompt.id}@`)} ESCAPE '\\'`,
    gte(logRollups.hour, window.from),
    lt(logRollups.hour, window.to),
  );
  const bucket = bucketOf(window.interval);
  const rows = await db
    .select({ value: logRollups.value, bucket, ...summedCounters(logRollups) })
    .from(logRollups)
    .where(where)
    .groupBy(logRollups.value, bucket)
    .orderBy(bucket);
  const versions = new Map<number, { totals: Counters; series: ReturnType<typeof point>[] }>();
  for (const row of rows) {
    const version = Number(row.value.slice(prompt.id.length + 1));
    const entry = versions.get(version) ?? { totals: ZERO, series: [] };
    const counters = countersOf(row);
    entry.totals = addCounters(entry.totals, counters);
    entry.series.push(point(Number(row.bucket), counters));
    versions.set(version, entry);
  }
  const ordered = [...versions].sort(([a], [b]) => a - b);
  return {
    object: "analytics" as const,
    group_by: "prompt_version" as const,
    prompt: { id: prompt.id, slug: prompt.slug },
    interval: window.interval,
    from: new Date(window.from).toISOString(),
    to: new Date(window.to).toISOString(),
    totals: presentCounters(ordered.reduce((sum, [, entry]) => addCounters(sum, entry.totals), ZERO)),
    groups: ordered.map(([version, entry]) => ({
      value: `${prompt.slug}@${version}`,
      version,
      totals: presentCounters(entry.totals),
      series: entry.series,
    })),
    groups_truncated: false,
  };
}
